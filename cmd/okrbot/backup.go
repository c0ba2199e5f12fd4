package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kelseyhightower/envconfig"

	"github.com/okrbot/okrbot/store"
)

// "okrbot export" and "okrbot import": backups of the Redis data, in the
// format of store.Backup (docs/backup-format.md). They read the REDIS_
// variables as the bot does and need no Slack tokens.

// redisEnv is the part of Config export and import read.
type redisEnv struct {
	RedisURL    string `envconfig:"REDIS_URL"`
	RedisMode   string `envconfig:"REDIS_MODE" default:"single"`
	RedisPrefix string `envconfig:"REDIS_PREFIX" default:"okrbot"`
}

// openBackupStore reads the Redis variables and connects.
func openBackupStore(ctx context.Context, cmd string) (*store.Store, func(), error) {
	var e redisEnv
	if err := envconfig.Process("", &e); err != nil {
		return nil, nil, &ConfigError{err.Error()}
	}
	if e.RedisURL == "" {
		return nil, nil, &ConfigError{fmt.Sprintf("REDIS_URL is not set: okrbot %s works on the Redis okrbot keeps its data in, like REDIS_URL=redis://localhost:6379", cmd)}
	}
	if err := validateRedis(e.RedisURL, e.RedisMode, e.RedisPrefix); err != nil {
		return nil, nil, err
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	rdb, err := store.Connect(cctx, store.Options{URL: e.RedisURL, Mode: e.RedisMode, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second})
	if err != nil {
		return nil, nil, err
	}
	return store.New(rdb, e.RedisPrefix), func() { rdb.Close() }, nil
}

// workspaceFlags is a flag that may be given several times.
type workspaceFlags []string

func (l *workspaceFlags) String() string { return strings.Join(*l, ",") }
func (l *workspaceFlags) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// parseFlagsAnywhere parses flags wherever they are among the arguments and
// returns the others.
func parseFlagsAnywhere(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// runExport is "okrbot export": it returns the exit status.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("okrbot export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var workspaces workspaceFlags
	fs.Var(&workspaces, "workspace", "a workspace (Slack team id, like T0123ABC) to export; again for more; all of them when not given")
	output := fs.String("output", "", "write the backup to this file (atomically) instead of stdout")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: okrbot export [--workspace T…] [--output FILE] > backup.json")
		fs.PrintDefaults()
	}
	rest, err := parseFlagsAnywhere(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "okrbot export: unexpected argument %q (okrbot export -h)\n", rest[0])
		return 2
	}
	s, closeStore, err := openBackupStore(ctx, "export")
	if err != nil {
		fmt.Fprintln(stderr, "okrbot export:", err)
		return backupExit(err)
	}
	defer closeStore()
	if v, err := s.SchemaVersionOf(ctx); err != nil {
		fmt.Fprintln(stderr, "okrbot export:", err)
		return 1
	} else if v > store.SchemaVersion {
		fmt.Fprintln(stderr, "okrbot export:", &store.SchemaError{Prefix: s.Prefix(), Found: v, Known: store.SchemaVersion})
		return 1
	}
	var ws []store.BackupWorkspace
	if len(workspaces) == 0 {
		if ws, err = s.ExportAll(ctx); err != nil {
			fmt.Fprintln(stderr, "okrbot export:", err)
			return 1
		}
	} else {
		slices.Sort(workspaces)
		workspaces = slices.Compact(workspaces)
		for _, id := range workspaces {
			w, err := s.ExportWorkspace(ctx, id)
			if err != nil {
				fmt.Fprintf(stderr, "okrbot export: workspace %s: %v\n", id, err)
				return 1
			}
			if len(w.Teams) == 0 && len(w.Objectives) == 0 {
				fmt.Fprintf(stderr, "okrbot export: workspace %s has no data under Redis prefix %q (is it the right id, and REDIS_PREFIX?)\n", id, s.Prefix())
				return 1
			}
			ws = append(ws, w)
		}
	}
	data, err := store.MarshalBackup(store.NewBackup(time.Now(), ws...))
	if err != nil {
		fmt.Fprintln(stderr, "okrbot export:", err)
		return 1
	}
	if *output == "" {
		if _, err := stdout.Write(data); err != nil {
			fmt.Fprintln(stderr, "okrbot export: writing the backup:", err)
			return 1
		}
	} else if err := writeBackupFile(*output, data); err != nil {
		fmt.Fprintln(stderr, "okrbot export:", err)
		return 1
	}
	for _, w := range ws {
		fmt.Fprintf(stderr, "okrbot export: workspace %s: %s\n", w.ID, w.Counts())
	}
	fmt.Fprintf(stderr, "okrbot export: %s, %d bytes\n", countOf(len(ws), "workspace"), len(data))
	return 0
}

// writeBackupFile writes data to a temporary file next to path and renames
// it: a reader never sees half a backup.
func writeBackupFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// runImport is "okrbot import": it returns the exit status.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if from, rest, ok := cutFrom(args); ok {
		switch from {
		case "csv":
			return importCSV(ctx, rest, stdout, stderr)
		case "json":
			args = rest
		default:
			fmt.Fprintf(stderr, "okrbot import: --from %q: okrbot imports its own JSON backups (the default) or --from csv\n", from)
			return 2
		}
	}
	fs := flag.NewFlagSet("okrbot import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dryRun := fs.Bool("dry-run", false, "check the backup and say what would be written, writing nothing")
	replace := fs.Bool("replace", false, "replace the data of workspaces that already have some (their markers stay)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: okrbot import FILE [--dry-run] [--replace]   (FILE - reads stdin)\n       okrbot import --from csv FILE")
		fs.PrintDefaults()
	}
	rest, err := parseFlagsAnywhere(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	if len(rest) != 1 {
		fmt.Fprintln(stderr, "okrbot import: name one backup file, like: okrbot import backup.json --dry-run")
		return 2
	}
	name := rest[0]
	var data []byte
	if name == "-" {
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		fmt.Fprintln(stderr, "okrbot import:", err)
		return 1
	}
	b, err := store.DecodeBackup(bytes.NewReader(data))
	if err != nil {
		fmt.Fprintf(stderr, "okrbot import: %s: %v\nNothing was written.\n", name, err)
		return 1
	}
	if len(b.Workspaces) == 0 {
		fmt.Fprintf(stderr, "okrbot import: %s holds no workspaces: nothing to do\n", name)
		return 0
	}
	s, closeStore, err := openBackupStore(ctx, "import")
	if err != nil {
		fmt.Fprintln(stderr, "okrbot import:", err)
		return backupExit(err)
	}
	defer closeStore()
	if err := checkImportSchema(ctx, s, *dryRun); err != nil {
		fmt.Fprintln(stderr, "okrbot import:", err)
		return 1
	}
	// Every workspace is checked against Redis before any is written, so
	// that a refusal stops the import before it starts.
	results := make([]store.ImportResult, len(b.Workspaces))
	for i, w := range b.Workspaces {
		if results[i], err = s.ImportWorkspace(ctx, w, *replace, true); err != nil {
			fmt.Fprintf(stderr, "okrbot import: %v\nNothing was written.\n", err)
			return 1
		}
	}
	verb := "imported"
	if *dryRun {
		verb = "would import"
	} else {
		for i, w := range b.Workspaces {
			if results[i], err = s.ImportWorkspace(ctx, w, *replace, false); err != nil {
				fmt.Fprintf(stderr, "okrbot import: workspace %s: %v\n", w.ID, err)
				if i > 0 {
					fmt.Fprintf(stderr, "The workspaces before it were imported (%s); workspace %s and those after it were not.\n", importedIDs(b.Workspaces[:i]), w.ID)
				} else {
					fmt.Fprintln(stderr, "Nothing was written.")
				}
				return 1
			}
		}
	}
	for _, r := range results {
		how := "into an empty workspace"
		if r.Replaced {
			how = "replacing its data"
		}
		fmt.Fprintf(stdout, "workspace %s: %s %s (%s), %s\n", r.Workspace, verb, r.Counts, countOf(r.Keys, "Redis key"), how)
	}
	if *dryRun {
		fmt.Fprintf(stdout, "Dry run: %s is valid; nothing was written.\n", name)
	}
	return 0
}

// checkImportSchema refuses Redis data newer than this okrbot and, unless dryRun,
// migrates older data first, as the bot does at start-up.
func checkImportSchema(ctx context.Context, s *store.Store, dryRun bool) error {
	if dryRun {
		v, err := s.SchemaVersionOf(ctx)
		if err != nil {
			return err
		}
		if v > store.SchemaVersion {
			return &store.SchemaError{Prefix: s.Prefix(), Found: v, Known: store.SchemaVersion}
		}
		return nil
	}
	_, _, err := s.Migrate(ctx, replicaID())
	return err
}

func importedIDs(ws []store.BackupWorkspace) string {
	ids := make([]string, len(ws))
	for i, w := range ws {
		ids[i] = w.ID
	}
	return strings.Join(ids, ", ")
}

// cutFrom takes "--from X" (or "--from=X") out of args.
func cutFrom(args []string) (from string, rest []string, ok bool) {
	for i, a := range args {
		switch {
		case (a == "--from" || a == "-from") && i+1 < len(args):
			return args[i+1], append(slices.Clone(args[:i]), args[i+2:]...), true
		case strings.HasPrefix(a, "--from=") || strings.HasPrefix(a, "-from="):
			_, v, _ := strings.Cut(a, "=")
			return v, append(slices.Clone(args[:i]), args[i+1:]...), true
		}
	}
	return "", args, false
}

// backupExit is 2 for a configuration mistake, 1 for anything else.
func backupExit(err error) int {
	if _, ok := errors.AsType[*ConfigError](err); ok {
		return 2
	}
	return 1
}

func countOf(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
