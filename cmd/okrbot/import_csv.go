package main

import (
	"context"
	"fmt"
	"io"
)

// importCSV is "okrbot import --from csv FILE" (args are import's arguments
// without --from csv). A placeholder: the CSV import is built in its own
// branch and replaces this file.
func importCSV(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "okrbot: import --from csv: not built yet")
	return 2
}
