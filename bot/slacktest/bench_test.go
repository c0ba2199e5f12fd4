package slacktest

import (
	"context"
	"fmt"
	"testing"

	"github.com/slack-go/slack"
)

func BenchmarkPostMessage(b *testing.B) {
	srv := New(b, WithLogf(nil))
	seed(srv)
	for i := range 100 {
		srv.AddChannel(Channel{ID: fmt.Sprintf("CB%d", i), BotIsMember: true})
	}
	api := newAPI(srv)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			if _, _, err := api.PostMessageContext(ctx, fmt.Sprintf("CB%d", i%100), slack.MsgOptionText("fan-out", false)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkSlashCommandAck(b *testing.B) {
	srv := New(b, WithLogf(nil))
	seed(srv)
	startBot(b, srv, nil)
	ctx := context.Background()
	if err := srv.WaitConnected(ctx, 1); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := srv.SlashCommand(ctx, Command{UserID: "U1", ChannelID: "C1", Command: "/okr"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
