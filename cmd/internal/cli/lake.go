package cli

import (
	"context"
	"fmt"
)

func exportLake(ctx context.Context, e *env, args []string) error {
	return fmt.Errorf("export lake: not built yet")
}
