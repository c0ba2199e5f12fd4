package store

import "strings"

// keys builds the Redis keys of one workspace. All of them share the hash
// tag {workspace}, so they live in one cluster slot.
type keys struct{ base string } // "P:{W}:"

func (s *Store) keys(workspace string) keys {
	return keys{base: s.prefix + ":{" + tagSafe(workspace) + "}:"}
}

// tagSafe keeps a workspace id from closing the hash tag early.
func tagSafe(id string) string { return strings.NewReplacer("{", "_", "}", "_").Replace(id) }

func (k keys) objective(id string) string       { return k.base + "o:" + id }
func (k keys) keyResult(id string) string       { return k.base + "k:" + id }
func (k keys) krCheckIns(id string) string      { return k.base + "k:" + id + ":c" }
func (k keys) userKeyResults(u string) string   { return k.base + "u:" + u + ":k" }
func (k keys) ownerProposals(u string) string   { return k.base + "u:" + u + ":p" }
func (k keys) teamCycle(team, c string) string  { return k.base + "t:" + team + ":c:" + c }
func (k keys) teamSettings(team string) string  { return k.base + "t:" + team + ":s" }
func (k keys) teams() string                    { return k.base + "teams" }
func (k keys) marker(name string) string        { return k.base + "m:" + name }
func (k keys) lastPrompt(team, u string) string { return k.marker("lastprompt:" + team + ":" + u) }
func (k keys) dm(u string) string               { return k.marker("dm:" + u) }
func (k keys) home(u string) string             { return k.marker("home:" + u) }
func (s *Store) workspacesKey() string          { return s.prefix + ":workspaces" }
