// Package views builds okrbot's Block Kit: messages, App Home and modals,
// and reads the modals back. Its functions are pure: domain values in,
// blocks out, tested against golden JSON. Every mrkdwn text is a Mrkdwn, so
// text a person typed is escaped once, where it enters.
//
// Package bot routes on the callback and action ids declared here and does
// the Slack plumbing.
package views
