// Package okrs is okrbot's domain: objectives, key results, check-ins and
// cycles; the maths of progress and pace; validation that speaks in fields a
// form can show; the parsing of numbers as people type them; the coaching
// rules of the OKR method; and the contract the store fulfils.
//
// It depends only on the standard library. Every other package of okrbot
// points towards this one: bot and reminders use it, store implements its
// Store, charts draws what it computes.
package okrs
