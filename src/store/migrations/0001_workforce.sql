-- 0001: the workforce and its training records [MISSION B].
-- Portable SQL for SQLite and PostgreSQL alike: text keys, dates as ISO
-- yyyy-mm-dd text, times as UTC yyyy-mm-ddThh:mm:ssZ text, so both sort the
-- same. Every row says who last changed it and when. Statements end with a
-- semicolon at the end of a line; the migration runner splits on that.

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL
);

CREATE TABLE organisations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  sector TEXT NOT NULL,
  type TEXT NOT NULL,
  case_management_system TEXT NOT NULL,
  locality TEXT NOT NULL,
  isp_signed TEXT,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL
);

-- An organisation's standing on each condition of a readiness checklist
-- (ContactPoint's 28 accreditation conditions [000 App. 3]).
CREATE TABLE readiness_conditions (
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  checklist TEXT NOT NULL,
  number INTEGER NOT NULL,
  text TEXT NOT NULL,
  met INTEGER NOT NULL,
  evidence TEXT NOT NULL,
  met_on TEXT,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  PRIMARY KEY (organisation_id, checklist, number)
);

CREATE TABLE people (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  role TEXT NOT NULL,
  manager_id TEXT REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
  locality TEXT NOT NULL,
  start_date TEXT,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL
);
CREATE INDEX people_by_organisation ON people (organisation_id);

CREATE TABLE person_audiences (
  person_id TEXT NOT NULL REFERENCES people (id),
  position INTEGER NOT NULL,
  audience TEXT NOT NULL,
  PRIMARY KEY (person_id, position)
);

-- Checks with their dates: identity (what was seen), enhanced CRB/DBS (issue
-- date), IT competence, application form [000 pre-requisites, 002].
CREATE TABLE person_checks (
  person_id TEXT NOT NULL REFERENCES people (id),
  check_id TEXT NOT NULL,
  checked_on TEXT NOT NULL,
  detail TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  PRIMARY KEY (person_id, check_id)
);

-- Attested experience and prior learning [001 IS05, 002 §13].
CREATE TABLE person_experience (
  person_id TEXT NOT NULL REFERENCES people (id),
  position INTEGER NOT NULL,
  area TEXT NOT NULL,
  level TEXT NOT NULL,
  years INTEGER,
  attested_by TEXT NOT NULL,
  PRIMARY KEY (person_id, position)
);

-- Never updated or deleted: a correction is a new row that supersedes one,
-- with who and why; UNIQUE keeps a record from being superseded twice.
CREATE TABLE training_records (
  id TEXT PRIMARY KEY,
  person_id TEXT NOT NULL REFERENCES people (id),
  module TEXT NOT NULL,
  module_version TEXT NOT NULL,
  completed_on TEXT NOT NULL,
  outcome TEXT NOT NULL,
  source TEXT NOT NULL,
  evidence TEXT NOT NULL,
  supersedes TEXT UNIQUE REFERENCES training_records (id)
    DEFERRABLE INITIALLY DEFERRED,
  reason TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL
);
CREATE INDEX training_records_by_person ON training_records (person_id, completed_on);
