-- 0004: registers [MISSION D3]. Who was at which part of a session, and,
-- where the session verifies identity, what was seen and which security
-- token was handed over [000 venue].

-- One row per booked person once first marked.
CREATE TABLE register_people (
  session_id TEXT NOT NULL REFERENCES course_sessions (id),
  person_id TEXT NOT NULL REFERENCES people (id),
  identity_verified INTEGER NOT NULL,
  identity_evidence TEXT NOT NULL,
  security_token TEXT NOT NULL,
  marked_at TEXT NOT NULL,
  marked_by TEXT NOT NULL,
  PRIMARY KEY (session_id, person_id)
);
-- A security token is handed to one person only.
CREATE UNIQUE INDEX register_people_token ON register_people (security_token)
  WHERE security_token <> '';

-- One row per person per part of the session.
CREATE TABLE register_attendance (
  session_id TEXT NOT NULL,
  person_id TEXT NOT NULL,
  part INTEGER NOT NULL,
  present INTEGER NOT NULL,
  PRIMARY KEY (session_id, person_id, part),
  FOREIGN KEY (session_id, person_id)
    REFERENCES register_people (session_id, person_id)
);

-- Who closed the register; register_closed_at says when.
ALTER TABLE course_sessions ADD COLUMN register_closed_by TEXT NOT NULL DEFAULT '';
