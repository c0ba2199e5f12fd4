package okrs_test

import "github.com/okrbot/okrbot/okrs"

// A coachCase is an objective's title or a key result, as a team would
// write it, and the verdict the coach should reach on it: good ("") or the
// rule that should catch it.
type coachCase struct {
	domain    string // engineering, product, sales, support
	objective string // an objective's title; "" for a key result
	kr        okrs.KeyResult
	want      string // "" good, else the rule expected (okrs.Rule…)
	note      string // why, for the traps
	knownMiss bool   // a bad case the rules do not catch yet: it counts against the catch rate
}

const good = ""

func obj(domain, title, want string) coachCase {
	return coachCase{domain: domain, objective: title, want: want}
}

func kr(domain, title string, kind okrs.Kind, unit okrs.Unit, label string, start, target float64, want string) coachCase {
	return coachCase{domain: domain, want: want, kr: okrs.KeyResult{
		Title: title, Owner: "U1", Kind: kind, Unit: unit, UnitLabel: label, Start: start, Target: target}}
}

func milestone(domain, title, want string) coachCase {
	return kr(domain, title, okrs.Milestone, okrs.Number, "", 0, 1, want)
}

func (c coachCase) because(note string) coachCase { c.note = note; return c }

func (c coachCase) missed(note string) coachCase { c.note, c.knownMiss = note, true; return c }

// coachFixture is the coaching rules' fixture: real-style key results and
// objectives of engineering, product, sales and support teams, good and bad.
// Decisions it records:
//   - a frequency of deployments is DORA's deployment frequency, a measure
//     (the playground's "Increase deployment frequency to daily"); a total
//     count of deployments is activity;
//   - a count of activity is vanity only when it should go up: fewer
//     tickets or meetings is an outcome;
//   - a milestone is fine when it states a measurable condition ("p99 under
//     300 ms in every region"), an output otherwise;
//   - a bad case names one rule: each has one thing wrong.
//
// The last cases are ones the rules are known to miss (knownMiss); they
// count against the catch rate. Any other bad case missed fails the test.
var coachFixture = []coachCase{
	// Engineering, good.
	kr("engineering", "Cut build time from 20 to 8 minutes", okrs.Decrease, okrs.Number, "minutes", 20, 8, good).because("build is a noun here"),
	kr("engineering", "Reduce failed deployments from 12% to 3%", okrs.Decrease, okrs.Percent, "", 12, 3, good).because("an outcome verb with a number, though it says deploy"),
	kr("engineering", "Lead time for changes under 1 day", okrs.StayBelow, okrs.Number, "days", 3, 1, good),
	kr("engineering", "Reduce migration errors to 0", okrs.Decrease, okrs.Number, "", 40, 0, good).because("migration is a noun here"),
	kr("engineering", "Increase release frequency from 2 to 8 per month", okrs.Increase, okrs.Number, "releases/month", 2, 8, good).because("deployment frequency is a DORA measure"),
	kr("engineering", "Increase deploys per week from 5 to 20", okrs.Increase, okrs.Number, "", 5, 20, good).because("a frequency of deployments"),
	kr("engineering", "Cut PRs waiting for review from 40 to 10", okrs.Decrease, okrs.Number, "", 40, 10, good).because("fewer is an outcome"),
	kr("engineering", "Increase deployment frequency to daily", okrs.Increase, okrs.Number, "deploys/week", 2, 5, good).because("the playground's own"),
	kr("engineering", "Reduce P99 latency of payment processing from 400 ms to 280 ms", okrs.Decrease, okrs.Number, "ms", 400, 280, good),
	kr("engineering", "Keep checkout uptime at or above 99.9%", okrs.StayAbove, okrs.Percent, "", 99.95, 99.9, good),
	kr("engineering", "Change failure rate below 5%", okrs.StayBelow, okrs.Percent, "", 8, 5, good),
	kr("engineering", "Mean time to restore under 1 hour", okrs.StayBelow, okrs.Number, "hours", 3, 1, good),
	kr("engineering", "Cut pages per week from 30 to 10", okrs.Decrease, okrs.Number, "pages/week", 30, 10, good),
	kr("engineering", "Deploy success rate above 98%", okrs.StayAbove, okrs.Percent, "", 94, 98, good).because("deploy is a noun before a measure"),
	kr("engineering", "Reduce build failures on main from 15% to 5%", okrs.Decrease, okrs.Percent, "", 15, 5, good),
	kr("engineering", "Running costs of the data platform down 15%", okrs.Decrease, okrs.Currency, "", 40000, 34000, good).because("running is a noun before costs"),
	milestone("engineering", "Checkout p99 under 300 ms in every region", good).because("a milestone with a measurable condition"),
	milestone("engineering", "Zero P1 incidents for 8 weeks in a row", good),
	obj("engineering", "Make payments fast and boringly reliable", good),
	obj("engineering", "Make Q3 the quarter of reliability", good).because("Q3 is a name, not a number"),
	obj("engineering", "Achieve SOC 2 Type II compliance", good).because("SOC 2 is a name"),
	obj("engineering", "Make on-call sustainable", good),
	kr("engineering", "Cut median CI duration from 14 to 6 minutes", okrs.Decrease, okrs.Number, "minutes", 14, 6, good),
	kr("engineering", "Error budget burn under 50% each month", okrs.StayBelow, okrs.Percent, "", 70, 50, good),
	kr("engineering", "Crash-free sessions on Android above 99.5%", okrs.StayAbove, okrs.Percent, "", 98.9, 99.5, good).because("sessions, but none held"),
	kr("engineering", "Reduce cloud spend per customer from $4.10 to $3.20", okrs.Decrease, okrs.Currency, "", 4.1, 3.2, good),
	obj("engineering", "Make deploys boring", good),

	// Engineering, bad.
	milestone("engineering", "Migrate billing to Stripe", okrs.RuleOutcomes),
	milestone("engineering", "Get the new CI running", okrs.RuleOutcomes),
	milestone("engineering", "Kubernetes cluster upgraded to 1.31", okrs.RuleOutcomes),
	milestone("engineering", "Roll out feature flags to every service", okrs.RuleOutcomes),
	milestone("engineering", "Implementing SSO for enterprise customers", okrs.RuleOutcomes),
	milestone("engineering", "Refactor the payments module", okrs.RuleOutcomes),
	milestone("engineering", "On-call runbooks written for every service", okrs.RuleOutcomes),
	milestone("engineering", "Runbooks for every critical alert", okrs.RuleOutcomes).because("a milestone with no measurable effect"),
	kr("engineering", "Migrate 40 services to Kubernetes", okrs.Increase, okrs.Number, "services", 0, 40, okrs.RuleOutcomes).because("a count of a task"),
	kr("engineering", "Do 200 deployments this quarter", okrs.Increase, okrs.Number, "", 0, 200, okrs.RuleVanity).because("a total, not a frequency"),
	kr("engineering", "Merge 400 pull requests", okrs.Increase, okrs.Number, "", 0, 400, okrs.RuleVanity),
	kr("engineering", "Grow lines of code in the new service from 20k to 40k", okrs.Increase, okrs.Number, "", 20000, 40000, okrs.RuleVanity),
	kr("engineering", "Increase commits per engineer from 10 to 15 a week", okrs.Increase, okrs.Number, "", 10, 15, okrs.RuleVanity),
	kr("engineering", "Story points completed per sprint from 30 to 45", okrs.Increase, okrs.Number, "points", 30, 45, okrs.RuleVanity),
	kr("engineering", "Reach 500 production deploys this quarter", okrs.Increase, okrs.Number, "", 0, 500, okrs.RuleVanity),
	kr("engineering", "Reduce P99 latency from 400 to 280", okrs.Decrease, okrs.Number, "", 400, 280, okrs.RuleMeasure).because("no unit"),
	kr("engineering", "Raise test coverage from 60 to 80", okrs.Increase, okrs.Number, "", 60, 80, okrs.RuleMeasure).because("coverage is a percentage"),
	kr("engineering", "Time from merge to production under 30 minutes", okrs.StayBelow, okrs.Number, "", 120, 30, okrs.RuleMeasure).because("the unit is only in the title"),
	kr("engineering", "Adopt OpenTelemetry in 10 services", okrs.Increase, okrs.Number, "services", 0, 10, okrs.RuleOutcomes),
	obj("engineering", "Get to 99.99% availability", okrs.RuleMeasure),

	// Product, good.
	kr("product", "Raise week-1 activation from 40% to 60%", okrs.Increase, okrs.Percent, "", 40, 60, good),
	kr("product", "Cut time to first value from 3 days to 1 day", okrs.Decrease, okrs.Number, "days", 3, 1, good),
	kr("product", "Raise onboarding NPS from 20 to 40", okrs.Increase, okrs.Number, "", 20, 40, good).because("NPS has no unit"),
	kr("product", "Grow weekly active teams from 1,200 to 2,000", okrs.Increase, okrs.Number, "teams", 1200, 2000, good),
	kr("product", "Increase trial-to-paid conversion from 8% to 12%", okrs.Increase, okrs.Percent, "", 8, 12, good),
	kr("product", "Raise the share of new users who finish onboarding from 35% to 55%", okrs.Increase, okrs.Percent, "", 35, 55, good).because("finish is not the task here"),
	kr("product", "Day-30 retention above 40%", okrs.StayAbove, okrs.Percent, "", 36, 40, good),
	kr("product", "Reduce checkout abandonment from 70% to 60%", okrs.Decrease, okrs.Percent, "", 70, 60, good),
	kr("product", "Get churn below 2%", okrs.StayBelow, okrs.Percent, "", 3, 2, good).because("get, but nothing to get running"),
	kr("product", "Reduce meetings held per week from 12 to 6", okrs.Decrease, okrs.Number, "meetings", 12, 6, good).because("fewer meetings is an outcome"),
	kr("product", "Launch-week sign-ups above 5,000", okrs.StayAbove, okrs.Number, "sign-ups", 3000, 5000, good).because("launch names the week"),
	obj("product", "Delight new customers in their first week", good),
	obj("product", "Make onboarding effortless", good),
	obj("product", "Double down on self-serve", good).because("double down is no multiplier"),

	// Product, bad.
	milestone("product", "Dark mode shipped", okrs.RuleOutcomes),
	milestone("product", "Launch the new onboarding flow", okrs.RuleOutcomes),
	milestone("product", "Redesign the pricing page", okrs.RuleOutcomes),
	kr("product", "Ship the redesigned dashboard to 50% of accounts", okrs.Increase, okrs.Percent, "", 0, 50, okrs.RuleOutcomes),
	kr("product", "Run 15 user interviews", okrs.Increase, okrs.Number, "", 0, 15, okrs.RuleVanity),
	milestone("product", "Onboarding checklist available to all new users", okrs.RuleOutcomes),
	milestone("product", "Launch self-serve checkout to grow trial conversion", okrs.RuleOutcomes).because("an outcome verb, but nothing to measure it by"),
	milestone("product", "Mobile app live in the App Store", okrs.RuleOutcomes),
	milestone("product", "Release the public API to all customers", okrs.RuleOutcomes),
	kr("product", "Roll out the new search to 100% of users", okrs.Increase, okrs.Percent, "", 0, 100, okrs.RuleOutcomes).because("a rollout percentage is an output"),
	kr("product", "Ship 5 features this quarter", okrs.Increase, okrs.Number, "features", 0, 5, okrs.RuleVanity),
	kr("product", "Increase conversion from 2 to 3", okrs.Increase, okrs.Number, "", 2, 3, okrs.RuleMeasure),
	kr("product", "Raise activation from 40% to 40%", okrs.Increase, okrs.Percent, "", 40, 40, okrs.RuleMeasure).because("the target is the start"),
	obj("product", "Reach 10,000 weekly active users", okrs.RuleMeasure),
	obj("product", "Double trial sign-ups", okrs.RuleMeasure),

	// Sales, good.
	kr("sales", "Grow qualified pipeline from $2M to $3M", okrs.Increase, okrs.Currency, "", 2e6, 3e6, good),
	kr("sales", "Raise win rate on enterprise deals from 18% to 25%", okrs.Increase, okrs.Percent, "", 18, 25, good),
	kr("sales", "Reduce shipping costs by 10%", okrs.Decrease, okrs.Currency, "", 120000, 108000, good).because("shipping costs is not shipping"),
	kr("sales", "Close $1.2M in new annual recurring revenue", okrs.Increase, okrs.Currency, "", 0, 1.2e6, good),
	kr("sales", "Cut sales cycle length from 60 to 45 days", okrs.Decrease, okrs.Number, "days", 60, 45, good),
	kr("sales", "Raise net revenue retention from 104% to 110%", okrs.Increase, okrs.Percent, "", 104, 110, good),
	obj("sales", "Win the mid-market", good),
	obj("sales", "Make every renewal a non-event", good),
	kr("sales", "Generate $4M in qualified pipeline", okrs.Increase, okrs.Currency, "", 0, 4e6, good),

	// Sales, bad.
	kr("sales", "Make 300 cold calls a week", okrs.Increase, okrs.Number, "calls", 120, 300, okrs.RuleVanity),
	kr("sales", "Send 2,000 outbound emails", okrs.Increase, okrs.Number, "", 0, 2000, okrs.RuleVanity),
	kr("sales", "Run 50 product demos", okrs.Increase, okrs.Number, "", 0, 50, okrs.RuleVanity),
	kr("sales", "Hold 12 customer workshops", okrs.Increase, okrs.Number, "", 0, 12, okrs.RuleVanity),
	kr("sales", "Grow ARR from 1.2M to 2M", okrs.Increase, okrs.Number, "", 1.2e6, 2e6, okrs.RuleMeasure).because("money without a currency"),
	milestone("sales", "New partner portal launched", okrs.RuleOutcomes),
	obj("sales", "Grow revenue 20%", okrs.RuleMeasure),
	obj("sales", "Close $5M in new business", okrs.RuleMeasure),
	obj("sales", "Sign 3 new enterprise logos", okrs.RuleMeasure),
	obj("sales", "Land 5 lighthouse customers in healthcare", okrs.RuleMeasure),

	// Support, good.
	kr("support", "Cut first response time from 4 hours to 1 hour", okrs.Decrease, okrs.Number, "hours", 4, 1, good),
	kr("support", "Raise CSAT from 82% to 90%", okrs.Increase, okrs.Percent, "", 82, 90, good),
	kr("support", "Resolve 80% of tickets within 24 hours", okrs.Increase, okrs.Percent, "", 60, 80, good).because("a share resolved in time, not a count"),
	kr("support", "Reduce tickets about billing from 400 to 250 a month", okrs.Decrease, okrs.Number, "tickets", 400, 250, good).because("fewer tickets is an outcome"),
	kr("support", "Increase help-center self-service rate from 30% to 45%", okrs.Increase, okrs.Percent, "", 30, 45, good),
	kr("support", "Keep the support backlog below 50 open tickets", okrs.StayBelow, okrs.Number, "tickets", 80, 50, good),
	kr("support", "Live chat response time under 2 minutes", okrs.StayBelow, okrs.Number, "minutes", 5, 2, good).because("live is an adjective here"),
	obj("support", "Make support a reason customers stay", good),
	kr("support", "Answer 95% of chats within 60 seconds", okrs.Increase, okrs.Percent, "", 80, 95, good),
	kr("support", "Support backlog older than 3 days under 20 tickets", okrs.StayBelow, okrs.Number, "tickets", 60, 20, good),
	obj("support", "Answer customers before they finish their coffee", good).because("finish, in an objective"),
	obj("support", "Be the 24/7 support team customers brag about", good).because("24/7 is no target"),

	// Support, bad.
	kr("support", "Close 500 tickets a month", okrs.Increase, okrs.Number, "tickets", 300, 500, okrs.RuleVanity),
	kr("support", "Tickets closed per agent from 40 to 60 a week", okrs.Increase, okrs.Number, "", 40, 60, okrs.RuleVanity),
	kr("support", "Write 20 help-center articles", okrs.Increase, okrs.Number, "", 0, 20, okrs.RuleVanity),
	milestone("support", "Publish the new help center", okrs.RuleOutcomes),
	milestone("support", "Train every agent on the new refund policy", okrs.RuleOutcomes),
	milestone("support", "Chatbot goes live on the pricing page", okrs.RuleOutcomes),
	milestone("support", "Support macros in place for the top 10 questions", okrs.RuleOutcomes),
	kr("support", "Cut resolution time from 30 to 12", okrs.Decrease, okrs.Number, "", 30, 12, okrs.RuleMeasure),
	obj("support", "Cut ticket volume by 30%", okrs.RuleMeasure),

	// Known misses: outputs the vocabulary does not know.
	milestone("sales", "Customer advisory board with 8 members", okrs.RuleOutcomes).missed("a board that exists; its number reads as measurable"),
	kr("product", "Increase number of dashboards from 5 to 20", okrs.Increase, okrs.Number, "dashboards", 5, 20, okrs.RuleVanity).missed("dashboards are not in the activity table"),
}
