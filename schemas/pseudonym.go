package schemas

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// PseudonymKeyBytes is the size of a workspace's pseudonym key.
const PseudonymKeyBytes = 32

// pseudonymHex is how many hex digits of the keyed hash a pseudonym keeps:
// 64 bits, so that a million people collide with a chance of about 3e-8.
const pseudonymHex = 16

// Pseudonym is the published stand-in for a person's identifier: the first
// 16 hex digits of HMAC-SHA256(key, id). Without the key it cannot be
// recomputed from a guessed id, so it says nothing about the id; with the
// same key it is the same in every product (snapshot, lake, explain).
func Pseudonym(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil))[:pseudonymHex]
}

// PseudonymMacro is the SQL that defines pseudonym(x) on one connection,
// as a TEMP macro (it lives with the connection, never in a database file
// or a snapshot): HMAC-SHA256 written with DuckDB's sha256 over BLOBs,
// sha256((key ⊕ opad) ‖ sha256((key ⊕ ipad) ‖ x)), equal to Pseudonym
// (held by a test). NULL stays NULL.
func PseudonymMacro(key []byte) (string, error) {
	if len(key) == 0 {
		return "", errors.New("no pseudonym key: create one with 'imet init' (it makes pseudonym.key in the workspace)")
	}
	block := make([]byte, sha256.BlockSize)
	if len(key) > len(block) {
		sum := sha256.Sum256(key)
		key = sum[:]
	}
	copy(block, key)
	ipad, opad := make([]byte, len(block)), make([]byte, len(block))
	for i, b := range block {
		ipad[i], opad[i] = b^0x36, b^0x5c
	}
	return fmt.Sprintf(`CREATE OR REPLACE TEMP MACRO pseudonym(x) AS
		left(sha256(unhex('%s') || unhex(sha256(unhex('%s') || encode(x::VARCHAR)))), %d)`,
		hex.EncodeToString(opad), hex.EncodeToString(ipad), pseudonymHex), nil
}

// PersonIDColumns are the columns, in any table, that hold a person's
// identifier and are published as pseudonyms: the contract's Identifies
// columns (student_id) and source_student_id, the student_id a linked
// dataset's source sent (the loader keeps it beside the linked one).
func PersonIDColumns() []string {
	out := []string{}
	for _, d := range Datasets {
		for _, c := range d.Columns {
			if c.Identifies && !contains(out, c.Name) {
				out = append(out, c.Name)
			}
		}
	}
	return append(out, "source_student_id")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ReadPseudonymKey reads the key file at path (hex, as
// CreatePseudonymKey writes it).
func ReadPseudonymKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no pseudonym key at %s: run 'imet init' on the workspace to create one (an existing workspace keeps its data)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("read the pseudonym key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("%s is not a pseudonym key (64 hex digits): restore it from a backup; a new key changes every published pseudonym", path)
	}
	return key, nil
}

// CreatePseudonymKey writes a new random key to path, readable by its
// owner only (0600 whatever the umask), unless a key is there already; it
// never replaces one, since every published pseudonym rests on it.
func CreatePseudonymKey(path string) (created bool, err error) {
	key := make([]byte, PseudonymKeyBytes)
	if _, err := rand.Read(key); err != nil {
		return false, fmt.Errorf("create the pseudonym key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("create the pseudonym key: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return false, fmt.Errorf("create the pseudonym key: %w", err)
	}
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return false, fmt.Errorf("create the pseudonym key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return false, fmt.Errorf("create the pseudonym key: %w", err)
	}
	return true, f.Close()
}
