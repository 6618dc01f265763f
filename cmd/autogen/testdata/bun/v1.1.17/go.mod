module example.com/app

go 1.17

require (
	github.com/uptrace/bun v1.1.17
	github.com/uptrace/bun/dialect/sqlitedialect v1.1.17
)

require (
	github.com/jinzhu/inflection v1.0.0 // indirect
	github.com/tmthrgd/go-hex v0.0.0-20190904060850-447a3041c3bc // indirect
	github.com/vmihailenco/msgpack/v5 v5.4.1 // indirect
	github.com/vmihailenco/tagparser/v2 v2.0.0 // indirect
	golang.org/x/sys v0.16.0 // indirect
)
