// Package reminders is okrbot's sense of time: when each key-result owner's
// weekly (or fortnightly) check-in prompt is due in their own morning, when
// a nudge follows, and the scheduler that sends them exactly once across
// replicas, paced within Slack's rate limits.
//
// It never imports Slack: it declares the small Messenger interface it needs
// and package bot satisfies it.
//
// The scheduler is a sweep: every minute (a gocron job, run only by the
// replica that holds a Redis lease) it works out, for every owner of every
// team, what is due now and has not been sent for the period, and sends it.
// A per-(team, period, person) claim in Redis makes each send happen once,
// even across failover, retries and crashes; because the sweep sends
// "whatever is due and not yet sent", prompts missed during an outage go out
// late, within the same period, when the bot is back.
package reminders
