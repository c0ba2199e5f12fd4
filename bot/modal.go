package bot

import (
	"context"
	"errors"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// openModal opens a modal at once, showing "Loading…" under title, and then
// fills it with the view fill returns, by views.update. Slack's trigger_id
// expires 3 s after the person acted, so nothing slow (Redis, users.info)
// may come before views.open: every modal okrbot opens goes through here,
// except the create modal, which needs no lookup to open. When fill fails,
// the modal says why in words the person can act on. It returns the filled
// view, or nil when it could not be opened or filled.
func (b *Bot) openModal(ctx context.Context, r *request, title string, fill func(ctx context.Context) (slack.ModalViewRequest, error)) *slack.ViewResponse {
	loading := views.LoadingModal(title)
	resp, err := b.api.OpenViewContext(ctx, r.triggerID, loading)
	if err != nil {
		b.fail(ctx, r, "opening a modal", b.slackErr("views.open", err))
		return nil
	}
	view, err := fill(ctx)
	if err != nil {
		var de *okrs.Error
		if !errors.As(err, &de) || de.Code == okrs.EINTERNAL || de.Code == okrs.EUNAVAILABLE {
			b.logError("filling a modal", r, err)
		}
		view = views.NoticeModal(title, friendly(err))
	}
	filled, err := b.api.UpdateViewContext(ctx, view, "", resp.Hash, resp.ID)
	if err != nil {
		b.logError("filling a modal", r, b.slackErr("views.update", err))
		return nil
	}
	return filled
}
