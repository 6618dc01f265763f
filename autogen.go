// Package autogen is Alembic's revision --autogenerate for bun models: it
// compares the schema a set of models describes with a database and plans
// the revision that takes the database there, with the SQL of both
// directions and what the change does to the rows it holds.
//
// The pipeline has three steps. Compare reads the target schema from the
// models' DDL (built on a scratch database) and the current one from the
// database, and finds the operations between them. (*Comparison).Plan turns
// those into the revision's changes, checked on scratch databases, and
// assesses the live rows each risky change touches. The CLI writes the
// plan into a revision file (package script); CheckMigrations runs the
// same comparison against the schema the revisions themselves build.
//
// Applying revisions is package runner's job.
package autogen
