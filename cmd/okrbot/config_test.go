package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func validConfig() Config {
	return Config{
		SlackBotToken: "xoxb-1111-2222-abcdef", SlackAppToken: "xapp-1-A1-3333-abcdef",
		SlackAPIURL: "https://slack.com/api/", RedisMode: "single", RedisPrefix: "okrbot",
		DefaultTimezone: "UTC", LogLevel: "info", LogFormat: "text",
		SweepInterval: time.Minute, LeaderLease: 2 * time.Minute, MessagesPerSecond: 5,
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		change  func(c *Config)
		wantErr string // substring; "" for valid
	}{
		{"valid", func(c *Config) {}, ""},
		{"missing bot token", func(c *Config) { c.SlackBotToken = "" }, "SLACK_BOT_TOKEN is not set"},
		{"user token as bot token", func(c *Config) { c.SlackBotToken = "xoxp-1111-2222-abcdef" }, "SLACK_BOT_TOKEN is malformed"},
		{"truncated bot token", func(c *Config) { c.SlackBotToken = "xoxb-9" }, "SLACK_BOT_TOKEN is malformed"},
		{"quoted bot token", func(c *Config) { c.SlackBotToken = `"xoxb-1111-2222-abcdef"` }, "SLACK_BOT_TOKEN is malformed"},
		{"missing app token", func(c *Config) { c.SlackAppToken = "" }, "SLACK_APP_TOKEN is not set"},
		{"bot token as app token", func(c *Config) { c.SlackAppToken = "xoxb-1111-2222-abcdef" }, "SLACK_APP_TOKEN is malformed"},
		{"API URL not a URL", func(c *Config) { c.SlackAPIURL = "slack" }, "SLACK_API_URL"},
		{"API URL ftp", func(c *Config) { c.SlackAPIURL = "ftp://x/" }, "SLACK_API_URL"},
		{"Redis URL scheme", func(c *Config) { c.RedisURL = "localhost:6379" }, "REDIS_URL must start with redis://"},
		{"Redis mode", func(c *Config) { c.RedisMode = "ring" }, "REDIS_MODE"},
		{"cluster without URL", func(c *Config) { c.RedisMode = "cluster" }, "needs REDIS_URL"},
		{"prefix with a brace", func(c *Config) { c.RedisPrefix = "a{b" }, "REDIS_PREFIX"},
		{"timezone", func(c *Config) { c.DefaultTimezone = "Mars/Base" }, "OKRBOT_DEFAULT_TIMEZONE"},
		{"log level", func(c *Config) { c.LogLevel = "chatty" }, "OKRBOT_LOG_LEVEL"},
		{"log format", func(c *Config) { c.LogFormat = "xml" }, "OKRBOT_LOG_FORMAT"},
		{"sweep interval", func(c *Config) { c.SweepInterval = time.Millisecond }, "OKRBOT_SWEEP_INTERVAL"},
		{"lease too short", func(c *Config) { c.LeaderLease = time.Minute }, "OKRBOT_LEADER_LEASE"},
		{"message pace", func(c *Config) { c.MessagesPerSecond = 0 }, "OKRBOT_MESSAGES_PER_SECOND"},
	}
	for _, tt := range tests {
		c := validConfig()
		tt.change(&c)
		err := c.Validate()
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tt.name, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: err = %v, want one containing %q", tt.name, err, tt.wantErr)
		case err != nil && (strings.Contains(err.Error(), c.SlackBotToken) && c.SlackBotToken != "" || strings.Contains(err.Error(), "\n")):
			t.Errorf("%s: error %q shows the token or spans lines", tt.name, err)
		}
	}
}

func TestAPIURLGetsSlash(t *testing.T) {
	c := validConfig()
	c.SlackAPIURL = "http://127.0.0.1:9999/api"
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.SlackAPIURL != "http://127.0.0.1:9999/api/" {
		t.Errorf("SlackAPIURL = %q, want a trailing slash", c.SlackAPIURL)
	}
}

func TestLogsHideSecrets(t *testing.T) {
	c := validConfig()
	c.RedisURL = "redis://user:hunter2@redis:6379/0"
	var buf bytes.Buffer
	c.LogFormat = "json"
	NewLogger(c, &buf).Info("starting", "config", c)
	out := buf.String()
	for _, secret := range []string{c.SlackBotToken, c.SlackAppToken, "hunter2"} {
		if strings.Contains(out, secret) {
			t.Errorf("log line shows a secret %q: %s", secret, out)
		}
	}
	if !strings.Contains(out, "redis:6379") {
		t.Errorf("log line lost the Redis host: %s", out)
	}
}

func TestUsageListsEveryVariable(t *testing.T) {
	var buf bytes.Buffer
	PrintUsage(&buf)
	for _, v := range []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_API_URL", "REDIS_URL", "REDIS_MODE", "REDIS_PREFIX",
		"OKRBOT_HTTP_ADDR", "OKRBOT_DEFAULT_TIMEZONE", "OKRBOT_LOG_LEVEL", "OKRBOT_LOG_FORMAT", "OKRBOT_SWEEP_INTERVAL",
		"OKRBOT_LEADER_LEASE", "OKRBOT_MESSAGES_PER_SECOND", "https://slack.com/api/"} {
		if !strings.Contains(buf.String(), v) {
			t.Errorf("usage does not mention %s:\n%s", v, buf.String())
		}
	}
}
