// Package store keeps okrbot's data in Redis, through named methods that
// take and return okrs values.
//
// Every key of a workspace carries the hash tag {<workspace>} after a
// configurable prefix, so that all keys of one workspace live in one Redis
// Cluster slot and every multi-key write (MULTI/EXEC or a Lua script) stays
// atomic and runs unchanged on a cluster. No request path uses KEYS or SCAN.
//
// Layout, for prefix P and workspace W:
//
//	P:{W}:o:<objective>          string  the objective and its key-result definitions (JSON)
//	P:{W}:k:<key result>         hash    live state: o objective, v current, c confidence, t last check-in (ms), a author, x archived
//	P:{W}:k:<key result>:c       list    check-ins, newest first (JSON)
//	P:{W}:u:<user>:k             set     "<objective>/<key result>" of the user's active key results
//	P:{W}:t:<team>:c:<cycle>     zset    objective ids of a team's cycle, scored by creation time
//	P:{W}:t:<team>:s             string  team settings (JSON)
//	P:{W}:teams                  set     team channels of the workspace
//	P:{W}:objs                   set     every objective id of the workspace, archived ones too (since schema version 1)
//	P:{W}:u:<user>:p             set     objectives the user owns that have proposals waiting for them
//	P:{W}:m:<delivery>           string  an exactly-once message: claimed, sent (where), gone or failed, with a TTL
//	P:{W}:m:attempt:<delivery>   string  the replica that last tried to send it
//	P:{W}:m:fail:<delivery>      string  how many sweeps failed to send it
//	P:{W}:m:once:<event>         string  "seen": an event handled, a skip logged
//	P:{W}:m:lastprompt:<team>:<user>  string  "<period>|<channel>|<ts>" of the person's latest prompt
//	P:{W}:m:dm:<user>            string  okrbot's DM channel with the person
//	P:{W}:m:home:<user>          string  the person has opened App Home lately
//	P:{W}:u:<user>:away          string  "<until ms>|<set ms>": the person said /okr away until then
//	P:{W}:m:held:<team>          hash    "<period>|<user>" → prompts held while people were away (JSON)
//	P:{W}:m:snoozes              hash    "<team>:<period>:<user>" → a snoozed prompt (JSON: until, source ts, n)
//	P:workspaces                 set     every workspace with data
//	P:schema                     string  the version of this layout (SchemaVersion); absent means 0
//	P:lease:<name>               string  a lease (the scheduler's leader, a schema migration)
//
// Durable records (objectives, key results' state and check-ins, team
// settings and the indexes derived from them) are what a backup holds
// (backup.go, docs/backup-format.md); everything under m: is a marker that
// expires or is learned again.
package store
