package cli

import (
	"context"

	"github.com/imet-project/imet/schemas"
)

func runSchema(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "schema", "[--workspace DIR]", "Print the data dictionary (Markdown), generated from the input contract in schemas/.\nThe same text is committed as docs/schema.md. The contract is the same for every workspace;\n--workspace is accepted, as by every command.")
	workspaceFlag(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return schemas.WriteDictionary(e.stdout)
}
