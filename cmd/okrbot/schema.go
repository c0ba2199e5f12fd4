package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// replicaID names this process in leases: host, pid and start time.
func replicaID() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d-%d", host, os.Getpid(), time.Now().UnixNano())
}

// migrate brings the Redis data to the schema version this okrbot writes
// (once across replicas), or refuses data newer than it understands with a
// *store.SchemaError.
func (m *Main) migrate(ctx context.Context) error {
	from, to, err := m.Store.Migrate(ctx, replicaID())
	if err != nil {
		return err
	}
	if from != to {
		m.Logger.Info("migrated the Redis data", slog.Int("from_schema", from), slog.Int("to_schema", to))
	}
	return nil
}
