// Package store keeps okrbot's data in Redis: it implements okrs.Store.
//
// Every key of a workspace carries the hash tag {<workspace>} after a
// configurable prefix, so that all keys of one workspace live in one Redis
// Cluster slot and every multi-key write (MULTI/EXEC or a Lua script) stays
// atomic and runs unchanged on a cluster. No request path uses KEYS or SCAN.
//
// Layout, for prefix P and workspace W:
//
//	P:{W}:o:<objective>          string  the objective and its key-result definitions (JSON)
//	P:{W}:k:<key result>         hash    live state: o objective, v current, c confidence, s score, t last check-in (ms), a author, x archived
//	P:{W}:k:<key result>:c       list    check-ins, newest first (JSON)
//	P:{W}:u:<user>:k             set     "<objective>/<key result>" of the user's active key results
//	P:{W}:u:<user>:c             list    "<key result>/<check-in>" of the user's check-ins, newest first
//	P:{W}:t:<team>:c:<cycle>     zset    objective ids of a team's cycle, scored by creation time
//	P:{W}:t:<team>:s             string  team settings (JSON)
//	P:{W}:teams                  set     team channels of the workspace
//	P:{W}:m:<marker>             string  idempotency markers, with a TTL
//	P:workspaces                 set     every workspace with data
package store
