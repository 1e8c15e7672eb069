-- 0003: venues, sessions, bookings and registers [MISSION D1-D3].
-- Local times are "yyyy-mm-ddThh:mm" text in the area's time zone, so they
-- sort and compare as text on both databases.

-- Trellis' own ids ("S000001", "B000001"): the next number of each kind,
-- taken while holding the writers' turn.
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  next_value BIGINT NOT NULL
);

CREATE TABLE venues (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  address TEXT NOT NULL,
  notes TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL
);

CREATE TABLE rooms (
  id TEXT PRIMARY KEY,
  venue_id TEXT NOT NULL REFERENCES venues (id),
  name TEXT NOT NULL,
  seats INTEGER NOT NULL,
  it_suite INTEGER NOT NULL,
  accessibility TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL
);

CREATE TABLE course_sessions (
  id TEXT PRIMARY KEY,
  course TEXT NOT NULL,
  status TEXT NOT NULL,
  room_id TEXT NOT NULL REFERENCES rooms (id),
  seats INTEGER NOT NULL,
  case_management_system TEXT NOT NULL,
  approval_required INTEGER NOT NULL,
  verify_identity INTEGER NOT NULL,
  reserved_seats INTEGER NOT NULL,
  reserved_for TEXT NOT NULL,
  reserved_until TEXT,
  notes TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  register_closed_at TEXT,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL
);
CREATE INDEX course_sessions_by_start ON course_sessions (starts_at);

CREATE TABLE session_parts (
  session_id TEXT NOT NULL REFERENCES course_sessions (id),
  part INTEGER NOT NULL,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  room_id TEXT NOT NULL,
  PRIMARY KEY (session_id, part)
);
CREATE INDEX session_parts_by_room ON session_parts (room_id, starts_at);

CREATE TABLE session_trainers (
  session_id TEXT NOT NULL REFERENCES course_sessions (id),
  person_id TEXT NOT NULL REFERENCES people (id),
  PRIMARY KEY (session_id, person_id)
);
CREATE INDEX session_trainers_by_person ON session_trainers (person_id);

CREATE TABLE session_audiences (
  session_id TEXT NOT NULL REFERENCES course_sessions (id),
  audience TEXT NOT NULL,
  PRIMARY KEY (session_id, audience)
);

-- A person holds at most one active booking (requested, booked, waiting) per
-- session; queued is the order of asking, the waiting list's order.
CREATE TABLE bookings (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES course_sessions (id),
  person_id TEXT NOT NULL REFERENCES people (id),
  status TEXT NOT NULL,
  nominated INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  queued BIGINT NOT NULL,
  requested_at TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  late_cancellation INTEGER NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX bookings_by_session ON bookings (session_id, status, queued);
CREATE INDEX bookings_by_person ON bookings (person_id);
CREATE UNIQUE INDEX bookings_one_active ON bookings (session_id, person_id)
  WHERE status IN ('requested', 'booked', 'waiting');

CREATE TABLE notifications (
  id BIGINT PRIMARY KEY,
  person_id TEXT NOT NULL REFERENCES people (id),
  at TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX notifications_by_person ON notifications (person_id, id);

-- A POST sent again with the same Idempotency-Key answers as the first did.
-- status 0: the first is still being handled.
CREATE TABLE idempotency_keys (
  user_id TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  response TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
);
