package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/slack-go/slack/slackevents"
)

// An actionHandler answers a button, select or menu. It runs after the ack.
type actionHandler func(ctx context.Context, r *request, cb slack.InteractionCallback, a *slack.BlockAction)

// A submitHandler answers a modal submission. It must ack itself: with field
// errors, or empty to close the modal, before doing anything slow.
type submitHandler func(ctx context.Context, e *envelope, r *request, cb slack.InteractionCallback)

func (b *Bot) actionRoutes() map[string]actionHandler {
	return map[string]actionHandler{
		views.ActionAddKRGroup: func(ctx context.Context, r *request, cb slack.InteractionCallback, _ *slack.BlockAction) {
			b.onFormGroups(ctx, r, cb, true)
		},
		views.ActionDropKRGroup: func(ctx context.Context, r *request, cb slack.InteractionCallback, _ *slack.BlockAction) {
			b.onFormGroups(ctx, r, cb, false)
		},
		views.ActionPick: func(ctx context.Context, r *request, cb slack.InteractionCallback, a *slack.BlockAction) {
			b.onPick(ctx, r, cb, a.SelectedOption.Value)
		},
		views.ActionStatusMore: func(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
			b.onStatusMore(ctx, r, a.Value)
		},
		views.ActionPastCycle: func(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
			b.postPersonStatus(ctx, r, r.user, a.SelectedOption.Value, 0) // in a DM: App Home has no channel
		},
		views.ActionStatusChart: func(ctx context.Context, r *request, cb slack.InteractionCallback, a *slack.BlockAction) {
			b.onStatusChart(ctx, r, cb, a.Value)
		},
		views.ActionTreeMore: func(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
			b.onTreeMore(ctx, r, a.Value)
		},
		views.ActionObjectiveMenu: func(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
			b.onObjectiveMenu(ctx, r, a.SelectedOption.Value)
		},
		views.ActionReviewEdit: func(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
			b.onObjectiveMenu(ctx, r, a.Value)
		},
		views.ActionBackToEdit: b.onBackToEdit,
		views.ActionNewObjective: func(ctx context.Context, r *request, _ slack.InteractionCallback, _ *slack.BlockAction) {
			b.openCreate(ctx, r, "")
		},
		views.ActionCheckIn: func(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
			b.openCheckIn(ctx, r, promptTeam(a.Value))
		},
		views.ActionCheckInSame: b.onCheckInSame,
		views.ActionPropose:     b.onPropose,
		views.ActionAccept:      b.onAccept,
		views.ActionAdjust:      b.onAdjust,
		views.ActionDecline:     b.onDecline,
		views.ActionWithdraw:    b.onWithdraw,
		views.ActionCycleClose:  b.onCycleClose,
		views.ActionCycleExtend: b.onCycleExtend,
		views.ActionCycleStart:  b.onCycleStart,
		views.ActionCycleHalf:   b.onCycleStart,
		views.ActionCycleCustom: b.onCycleCustom,
		views.ActionGrade:       b.onGrade,
		views.ActionSnooze:      b.onSnooze,
		views.ActionReplySave:   b.onReplySave,
		views.ActionReplyEdit:   b.onReplyEdit,
	}
}

func (b *Bot) submitRoutes() map[string]submitHandler {
	return map[string]submitHandler{
		views.CallbackObjective:   b.submitObjective,
		views.CallbackAddKR:       b.submitAddKR,
		views.CallbackReview:      b.submitReview,
		views.CallbackArchive:     b.submitArchive,
		views.CallbackCheckIn:     b.submitCheckIn,
		views.CallbackSettings:    b.submitSettings,
		views.CallbackDecline:     b.submitDecline,
		views.CallbackGrade:       b.submitGrade,
		views.CallbackCarryOver:   b.submitCarryOver,
		views.CallbackCustomCycle: b.submitCustomCycle,
		views.CallbackAway:        b.submitAway,
	}
}

// onInteraction routes buttons, menus and modal submissions.
func (b *Bot) onInteraction(ctx context.Context, e *envelope, cb slack.InteractionCallback) {
	r := interactionRequest(cb)
	e.reply = func(ctx context.Context, t views.Mrkdwn) { b.say(ctx, r, t) }
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		e.ack(nil)
		if len(cb.ActionCallback.BlockActions) == 0 {
			return
		}
		a := cb.ActionCallback.BlockActions[0]
		if h := b.actions[a.ActionID]; h != nil {
			h(ctx, r, cb, a)
			return
		}
		b.log.Debug("ignoring an action okrbot does not know", slog.String("action_id", a.ActionID))
	case slack.InteractionTypeViewSubmission:
		if h := b.submissions[cb.View.CallbackID]; h != nil {
			h(ctx, e, r, cb)
			return
		}
		e.ack(nil)
	default:
		e.ack(nil)
	}
}

// eventDedupeTTL is how long an Events API event id is remembered: Slack
// retries for up to about five minutes.
const eventDedupeTTL = 10 * time.Minute

// onEvent handles Events API events: app_home_opened, and messages people
// send okrbot in its Messages tab (message.im).
func (b *Bot) onEvent(ctx context.Context, e *envelope, ev slackevents.EventsAPIEvent) {
	e.ack(nil)
	cb, _ := ev.Data.(*slackevents.EventsAPICallbackEvent)
	switch inner := ev.InnerEvent.Data.(type) {
	case *slackevents.AppHomeOpenedEvent:
		if inner.Tab != "" && inner.Tab != "home" {
			return
		}
		r := eventRequest(ev, inner.User)
		if !b.firstDelivery(ctx, r, cb) {
			return // a retry of an event already handled
		}
		if err := b.store.MarkHomeOpened(ctx, r.workspace, inner.User, homeSeenTTL); err != nil {
			b.logError("remembering an opened App Home", r, err)
		}
		if err := b.publishHome(ctx, r.workspace, inner.User); err != nil {
			b.logError("publishing App Home", r, err)
		}
	case *slackevents.MessageEvent:
		// Someone wrote to okrbot in its Messages tab. Only people's own
		// new messages in a DM are answered: not okrbot's, not edits.
		if inner.ChannelType != "im" || inner.User == "" || inner.BotID != "" || inner.SubType != "" {
			return
		}
		r := eventRequest(ev, inner.User)
		if !b.firstDelivery(ctx, r, cb) {
			return
		}
		b.onDM(ctx, r, inner.Channel, inner.TimeStamp, inner.ThreadTimeStamp, inner.Text) // a check-in in words, or the help
	}
}

// firstDelivery reports whether an event is seen for the first time: Slack
// retries events it thinks were not handled. When Redis cannot tell, the
// event is handled (a first delivery is never dropped).
func (b *Bot) firstDelivery(ctx context.Context, r *request, cb *slackevents.EventsAPICallbackEvent) bool {
	if cb == nil || cb.EventID == "" {
		return true
	}
	first, err := b.store.Once(ctx, r.workspace, "event:"+cb.EventID, eventDedupeTTL)
	if err != nil {
		b.logError("remembering an event", r, err)
		return true
	}
	return first
}
