package playground

import "github.com/okrbot/okrbot/bot/slacktest"

// The playground's world: two workspaces, a handful of people in different
// timezones (one of them a workspace admin) and the team channels.
const (
	Acme   = "TACME"   // the workspace one tries okrbot in
	Globex = "TGLOBEX" // another workspace, to show that data stays apart

	Ana   = "UANA"   // Ana Lima, Berlin: leads #payments
	Ben   = "UBEN"   // Ben Ode, Los Angeles
	Chidi = "UCHIDI" // Chidi Okafor, Lagos
	Devi  = "UDEVI"  // Devi Rao, Kolkata
	Emi   = "UEMI"   // Emi Sato, Tokyo
	Carla = "UCARLA" // Carla Reyes, New York: workspace admin
	Dan   = "UDAN"   // Dan Globex, London, in the other workspace

	Payments = "CPAYMENTS" // #payments: an engineering team
	Growth   = "CGROWTH"   // #growth: a product team
	Globexes = "CGLOBEX"   // #globex, in Globex
)

// People lists the playground's people, in the order the page offers them.
var People = []slacktest.User{
	{ID: Ana, TeamID: Acme, Name: "ana", RealName: "Ana Lima", TZ: "Europe/Berlin"},
	{ID: Ben, TeamID: Acme, Name: "ben", RealName: "Ben Ode", TZ: "America/Los_Angeles"},
	{ID: Chidi, TeamID: Acme, Name: "chidi", RealName: "Chidi Okafor", TZ: "Africa/Lagos"},
	{ID: Devi, TeamID: Acme, Name: "devi", RealName: "Devi Rao", TZ: "Asia/Kolkata"},
	{ID: Emi, TeamID: Acme, Name: "emi", RealName: "Emi Sato", TZ: "Asia/Tokyo"},
	{ID: Carla, TeamID: Acme, Name: "carla", RealName: "Carla Reyes", TZ: "America/New_York", IsAdmin: true},
	{ID: Dan, TeamID: Globex, Name: "dan", RealName: "Dan Globex", TZ: "Europe/London"},
}

// Channels lists the playground's channels.
var Channels = []slacktest.Channel{
	{ID: Payments, TeamID: Acme, Name: "payments", Members: []string{Ana, Ben, Chidi, Devi, Carla}, BotIsMember: true},
	{ID: Growth, TeamID: Acme, Name: "growth", Members: []string{Ana, Emi, Devi, Carla}, BotIsMember: true},
	{ID: Globexes, TeamID: Globex, Name: "globex", Members: []string{Dan}, BotIsMember: true},
}

// Seed adds the playground's workspaces, people and channels to srv.
func Seed(srv *slacktest.Server) {
	srv.AddWorkspace(slacktest.Workspace{ID: Acme, Name: "Acme", Domain: "acme"})
	srv.AddWorkspace(slacktest.Workspace{ID: Globex, Name: "Globex", Domain: "globex"})
	for _, u := range People {
		srv.AddUser(u)
	}
	for _, c := range Channels {
		srv.AddChannel(c)
	}
}
