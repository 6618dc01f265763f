-- upgrade
-- rows holding 'sadd' read 'sad' from now on (if the value was replaced rather than renamed, write a removal and an addition instead)
-- lock: brief, on type mood only (catalog only: no table is locked or scanned)
ALTER TYPE mood RENAME VALUE 'sadd' TO 'sad';

-- downgrade
-- rows holding 'sad' read 'sadd' from now on (if the value was replaced rather than renamed, write a removal and an addition instead)
-- lock: brief, on type mood only (catalog only: no table is locked or scanned)
ALTER TYPE mood RENAME VALUE 'sad' TO 'sadd';
