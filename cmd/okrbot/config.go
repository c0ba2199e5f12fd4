package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kelseyhightower/envconfig"

	"github.com/okrbot/okrbot/store"
)

// Config is okrbot's configuration, read from the environment.
type Config struct {
	SlackBotToken string `envconfig:"SLACK_BOT_TOKEN" desc:"Bot User OAuth Token (xoxb-…), from the Slack app's OAuth & Permissions page. Required."`
	SlackAppToken string `envconfig:"SLACK_APP_TOKEN" desc:"App-level token (xapp-…) with connections:write, from the Slack app's Basic Information page; opens the Socket Mode connection. Required."`
	SlackAPIURL   string `envconfig:"SLACK_API_URL" default:"https://slack.com/api/" desc:"Base URL of Slack's Web API; every call, apps.connections.open included, goes there. Tests point it at the fake Slack."`

	RedisURL    string `envconfig:"REDIS_URL" desc:"Redis to keep data in: redis://[user:password@]host:6379 or rediss:// for TLS (database 0). Unset: an in-memory store that loses everything on exit."`
	RedisMode   string `envconfig:"REDIS_MODE" default:"single" desc:"single, sentinel (REDIS_URL names a sentinel: redis://:pw@s1:26379?master_name=mymaster&addr=s2:26379) or cluster (REDIS_URL names a node: redis://n1:6379?addr=n2:6379&addr=n3:6379)."`
	RedisPrefix string `envconfig:"REDIS_PREFIX" default:"okrbot" desc:"Prefix of every Redis key, so that several deployments can share one Redis."`

	HTTPAddr        string `envconfig:"OKRBOT_HTTP_ADDR" desc:"Address for /healthz, /readyz and /metrics, e.g. :8080. Unset: no HTTP server."`
	DefaultTimezone string `envconfig:"OKRBOT_DEFAULT_TIMEZONE" default:"UTC" desc:"IANA timezone for teams that have not chosen one, e.g. Europe/Berlin."`
	LogLevel        string `envconfig:"OKRBOT_LOG_LEVEL" default:"info" desc:"debug, info, warn or error."`
	LogFormat       string `envconfig:"OKRBOT_LOG_FORMAT" default:"text" desc:"text (for people) or json (for log collectors)."`

	SweepInterval     time.Duration `envconfig:"OKRBOT_SWEEP_INTERVAL" default:"1m" desc:"How often the scheduler looks for prompts, nudges and digests that are due (one replica at a time)."`
	LeaderLease       time.Duration `envconfig:"OKRBOT_LEADER_LEASE" default:"2m" desc:"How long the scheduler's leader holds its Redis lease; another replica takes over within this after a crash. At least twice OKRBOT_SWEEP_INTERVAL."`
	MessagesPerSecond float64       `envconfig:"OKRBOT_MESSAGES_PER_SECOND" default:"5" desc:"Pace of prompt DMs (Slack allows about 1 message a second per channel, with a workspace-wide ceiling); 429s are honoured on top."`
}

// ConfigError is a configuration mistake; okrbot exits with status 2 and
// prints its message, one line naming the variable and what a valid value
// looks like.
type ConfigError struct{ Msg string }

func (e *ConfigError) Error() string { return e.Msg }

// LoadConfig reads and checks the configuration from the environment.
func LoadConfig() (Config, error) {
	var c Config
	if err := envconfig.Process("", &c); err != nil {
		var pe *envconfig.ParseError
		if errors.As(err, &pe) {
			return c, &ConfigError{fmt.Sprintf("%s: cannot read %q as a %s", pe.KeyName, pe.Value, pe.TypeName)}
		}
		return c, &ConfigError{err.Error()}
	}
	return c, c.Validate()
}

// Validate checks every variable and normalizes SLACK_API_URL.
func (c *Config) Validate() error {
	if err := checkToken("SLACK_BOT_TOKEN", c.SlackBotToken, "xoxb-", "the bot token from your Slack app's OAuth & Permissions page"); err != nil {
		return err
	}
	if err := checkToken("SLACK_APP_TOKEN", c.SlackAppToken, "xapp-", "an app-level token with connections:write from your Slack app's Basic Information page"); err != nil {
		return err
	}
	u, err := url.Parse(c.SlackAPIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return &ConfigError{"SLACK_API_URL must be an http(s) URL like https://slack.com/api/"}
	}
	if !strings.HasSuffix(c.SlackAPIURL, "/") {
		c.SlackAPIURL += "/"
	}
	if err := validateRedis(c.RedisURL, c.RedisMode, c.RedisPrefix); err != nil {
		return err
	}
	if _, err := time.LoadLocation(c.DefaultTimezone); err != nil || c.DefaultTimezone == "" {
		return &ConfigError{fmt.Sprintf("OKRBOT_DEFAULT_TIMEZONE must be an IANA timezone like Europe/Berlin, not %q", c.DefaultTimezone)}
	}
	if _, err := c.level(); err != nil {
		return err
	}
	if c.SweepInterval < time.Second || c.SweepInterval > time.Hour {
		return &ConfigError{fmt.Sprintf("OKRBOT_SWEEP_INTERVAL must be between 1s and 1h, like 1m, not %v", c.SweepInterval)}
	}
	if c.LeaderLease < 2*c.SweepInterval {
		return &ConfigError{fmt.Sprintf("OKRBOT_LEADER_LEASE (%v) must be at least twice OKRBOT_SWEEP_INTERVAL (%v)", c.LeaderLease, c.SweepInterval)}
	}
	if c.MessagesPerSecond <= 0 || c.MessagesPerSecond > 1000 {
		return &ConfigError{fmt.Sprintf("OKRBOT_MESSAGES_PER_SECOND must be between 0 and 1000, like 5, not %v", c.MessagesPerSecond)}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return &ConfigError{fmt.Sprintf("OKRBOT_LOG_FORMAT must be text or json, not %q", c.LogFormat)}
	}
	return nil
}

// validateRedis checks the Redis variables (also for okrbot export and
// import, which need no Slack tokens).
func validateRedis(url, mode, prefix string) error {
	if url != "" && !strings.HasPrefix(url, "redis://") && !strings.HasPrefix(url, "rediss://") {
		return &ConfigError{"REDIS_URL must start with redis:// or rediss://, like redis://localhost:6379"}
	}
	switch mode {
	case "single", "sentinel", "cluster":
	default:
		return &ConfigError{fmt.Sprintf("REDIS_MODE must be single, sentinel or cluster, not %q", mode)}
	}
	if mode != "single" && url == "" {
		return &ConfigError{fmt.Sprintf("REDIS_MODE=%s needs REDIS_URL, like redis://host:6379", mode)}
	}
	if prefix == "" || strings.ContainsAny(prefix, "{} ") {
		return &ConfigError{"REDIS_PREFIX must be a non-empty word without spaces or braces, like okrbot"}
	}
	return nil
}

// checkToken checks a token's presence and shape without ever printing it.
func checkToken(name, value, prefix, what string) error {
	switch {
	case value == "":
		return &ConfigError{fmt.Sprintf("%s is not set: it is %s, starting with %s; or try okrbot without Slack: okrbot playground", name, what, prefix)}
	case !strings.HasPrefix(value, prefix) || len(value) < len(prefix)+8 || strings.ContainsAny(value, " \t\r\n\"'"):
		return &ConfigError{fmt.Sprintf("%s is malformed: expected %s, starting with %s (like %s1234-…)", name, what, prefix, prefix)}
	}
	return nil
}

func (c Config) level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, &ConfigError{fmt.Sprintf("OKRBOT_LOG_LEVEL must be debug, info, warn or error, not %q", c.LogLevel)}
	}
	return l, nil
}

// LogValue keeps tokens and Redis passwords out of logs.
func (c Config) LogValue() slog.Value {
	redis := "embedded (in memory)"
	if c.RedisURL != "" {
		redis = c.RedisMode + " " + store.RedactURL(c.RedisURL)
	}
	return slog.GroupValue(
		slog.String("slack_api_url", c.SlackAPIURL),
		slog.String("redis", redis),
		slog.String("redis_prefix", c.RedisPrefix),
		slog.String("http_addr", c.HTTPAddr),
		slog.String("default_timezone", c.DefaultTimezone),
		slog.String("log_level", c.LogLevel),
	)
}

// usageWidth is the widest line `okrbot -h` prints: it fits a 100-column
// terminal.
const usageWidth = 100

// PrintUsage writes the subcommands and every variable with its default and
// description, wrapped to usageWidth columns.
func PrintUsage(w io.Writer) {
	fmt.Fprint(w, `okrbot runs your team's OKR check-ins in Slack (Socket Mode).

Usage:
  okrbot               run the bot, configured from the environment (below)
  okrbot healthcheck   exit 0 if the okrbot at OKRBOT_HTTP_ADDR is ready: Redis answers and the
                       Slack socket is up (for container health checks)
  okrbot version       print the version, the commit and the Go version
  okrbot playground [--addr 127.0.0.1:8080] [--demo]
                       try okrbot in a browser, with no Slack workspace: the real bot against
                       a built-in fake Slack (add --listen-anywhere to serve beyond loopback)
  okrbot export [--workspace T…] [--output FILE]
                       write a JSON backup of every workspace (or those named) to stdout or
                       FILE; reads the REDIS_ variables only, no Slack tokens
  okrbot import FILE [--dry-run] [--replace]
                       restore a backup: checks all of it first and writes nothing if any
                       record is wrong; one atomic write per workspace; refuses a workspace
                       that has data unless --replace; --dry-run says what it would write
  okrbot import --from csv [--dry-run] FILE
                       import objectives and key results from a spreadsheet (docs/import-csv.md);
                       needs SLACK_BOT_TOKEN and REDIS_URL
  okrbot -h            print this help

Environment variables:
`)
	var vars strings.Builder
	envconfig.Usagef("", &Config{}, &vars, "{{range .}}{{usage_key .}}\t{{usage_default .}}\t{{usage_description .}}\n{{end}}")
	for line := range strings.Lines(vars.String()) {
		key, rest, _ := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		def, desc, _ := strings.Cut(rest, "\t")
		if def != "" {
			key += " (default " + def + ")"
		}
		fmt.Fprintln(w, "  "+key)
		for _, l := range wrap(desc, usageWidth-6) {
			fmt.Fprintln(w, "      "+l)
		}
	}
}

// wrap breaks text into lines of at most width columns (runes) at spaces;
// a longer word gets a line of its own.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
