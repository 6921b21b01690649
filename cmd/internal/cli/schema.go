package cli

import (
	"context"

	"github.com/imet-project/imet/schemas"
)

func runSchema(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "schema", "", "Print the data dictionary (Markdown), generated from the input contract in schemas/.\nThe same text is committed as docs/schema.md.")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return schemas.WriteDictionary(e.stdout)
}
