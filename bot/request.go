package bot

import (
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/okrbot/okrbot/bot/views"
)

// request is who asked, from where: everything okrbot trusts about a
// payload, which is only what Slack itself fills in. The workspace keys all
// data: the enterprise id for an org-wide install, else the team id.
type request struct {
	workspace   string
	teamID      string // the Slack workspace the person is in
	user        string
	channel     string
	responseURL string
	triggerID   string
}

func workspaceOf(teamID, enterpriseID string, enterpriseInstall bool) string {
	if enterpriseInstall && enterpriseID != "" {
		return enterpriseID
	}
	return teamID
}

func commandRequest(c slack.SlashCommand) *request {
	return &request{
		workspace:   workspaceOf(c.TeamID, c.EnterpriseID, c.IsEnterpriseInstall),
		teamID:      c.TeamID,
		user:        c.UserID,
		channel:     c.ChannelID,
		responseURL: c.ResponseURL,
		triggerID:   c.TriggerID,
	}
}

func interactionRequest(cb slack.InteractionCallback) *request {
	teamID := cb.Team.ID
	if teamID == "" {
		teamID = cb.User.TeamID
	}
	return &request{
		workspace:   workspaceOf(teamID, cb.Enterprise.ID, cb.IsEnterpriseInstall),
		teamID:      teamID,
		user:        cb.User.ID,
		channel:     cb.Channel.ID,
		responseURL: cb.ResponseURL,
		triggerID:   cb.TriggerID,
	}
}

func eventRequest(e slackevents.EventsAPIEvent, user string) *request {
	enterpriseInstall := false
	if cb, ok := e.Data.(*slackevents.EventsAPICallbackEvent); ok {
		for _, a := range cb.Authorizations {
			enterpriseInstall = enterpriseInstall || a.IsEnterpriseInstall
		}
	}
	return &request{
		workspace: workspaceOf(e.TeamID, e.EnterpriseID, enterpriseInstall),
		teamID:    e.TeamID,
		user:      user,
	}
}

// isChannelID reports whether id is a public or private channel (not a DM).
func isChannelID(id string) bool { return views.IsChannelID(id) }
