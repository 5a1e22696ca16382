package sqlstore

import (
	"database/sql"
	"strconv"
	"strings"
	"time"
)

// millis stores t as unix milliseconds; the zero time is stored as 0.
func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMillis is the inverse of millis, in UTC.
func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// nullable stores an empty string as NULL (used for namespaces.parent_id,
// where NULL marks the root and keeps the foreign key satisfied).
func nullable(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}

// likeEscaper makes LIKE wildcards in user input match literally; every
// LIKE in this package declares ESCAPE '\'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// matches is the condition "column matches the LIKE pattern in placeholder",
// case-insensitively as the engine folds case.
func (s *Store) matches(column, placeholder string) string {
	return column + ` ` + s.d.ILike + ` ` + placeholder + ` ESCAPE '\'`
}

// containsPattern is a LIKE pattern matching s anywhere.
func containsPattern(s string) string {
	return "%" + likeEscaper.Replace(s) + "%"
}

// args collects the arguments of a query built piece by piece and hands out
// their placeholders.
type args []any

// add appends v and returns its placeholder.
func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// addAll appends vs and returns their placeholders, comma separated.
func (a *args) addAll(vs []string) string {
	list := make([]string, len(vs))
	for i, v := range vs {
		list[i] = a.add(v)
	}
	return strings.Join(list, ", ")
}
