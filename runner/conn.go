package runner

import "database/sql"

// Conn is the runner's one connection, for reading the schema through the
// same pragmas the runner uses; nil when a read-only open found no file.
func (r *Runner) Conn() *sql.Conn { return r.conn }
