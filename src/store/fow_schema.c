#include "store/fow_schema.h"

#include "store/fow_db.h"

/* Version 1: the taxonomy (occupations, skills, relations, ISCO groups),
 * automation risk, occupation attributes, crosswalks, data sources and the
 * search index. */
static const char migration_1[] =
    "CREATE TABLE sources ("
    "  id INTEGER PRIMARY KEY,"
    "  dataset TEXT NOT NULL UNIQUE,"   /* what a newer import replaces, e.g. 'taxonomy:ESCO' */
    "  kind TEXT NOT NULL,"             /* taxonomy, risk, attributes, crosswalk */
    "  name TEXT NOT NULL,"
    "  version TEXT NOT NULL,"
    "  licence TEXT NOT NULL,"
    "  url TEXT NOT NULL DEFAULT '',"
    "  path TEXT NOT NULL,"
    "  fingerprint TEXT NOT NULL,"      /* FNV-1a of the files imported */
    "  rows INTEGER NOT NULL,"
    "  imported_at TEXT NOT NULL"
    ");"
    "CREATE TABLE isco_groups ("
    "  code TEXT PRIMARY KEY,"
    "  label TEXT NOT NULL,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id)"
    ") WITHOUT ROWID;"
    "CREATE TABLE occupations ("
    "  id INTEGER PRIMARY KEY,"
    "  uri TEXT NOT NULL UNIQUE,"
    "  code TEXT,"
    "  isco_group TEXT,"
    "  label TEXT NOT NULL,"
    "  lang TEXT NOT NULL,"
    "  description TEXT,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id)"
    ");"
    "CREATE INDEX occupations_code ON occupations(code);"
    "CREATE INDEX occupations_isco ON occupations(isco_group);"
    "CREATE TABLE skills ("
    "  id INTEGER PRIMARY KEY,"
    "  label TEXT NOT NULL UNIQUE,"
    "  uri TEXT UNIQUE,"
    "  skill_type TEXT,"
    "  reuse_level TEXT,"
    "  green INTEGER NOT NULL DEFAULT 0,"
    "  digital INTEGER NOT NULL DEFAULT 0,"
    "  transversal INTEGER NOT NULL DEFAULT 0,"
    "  language INTEGER NOT NULL DEFAULT 0,"
    "  lang TEXT NOT NULL,"
    "  description TEXT,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id)"
    ");"
    "CREATE TABLE occupation_labels ("
    "  occupation_id INTEGER NOT NULL REFERENCES occupations(id) ON DELETE CASCADE,"
    "  lang TEXT NOT NULL,"
    "  label TEXT NOT NULL,"
    "  preferred INTEGER NOT NULL,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  PRIMARY KEY (occupation_id, lang, label)"
    ") WITHOUT ROWID;"
    "CREATE TABLE skill_labels ("
    "  skill_id INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE,"
    "  lang TEXT NOT NULL,"
    "  label TEXT NOT NULL,"
    "  preferred INTEGER NOT NULL,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  PRIMARY KEY (skill_id, lang, label)"
    ") WITHOUT ROWID;"
    "CREATE TABLE occupation_skills ("
    "  occupation_id INTEGER NOT NULL REFERENCES occupations(id) ON DELETE CASCADE,"
    "  skill_id INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE,"
    "  essential INTEGER NOT NULL,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    /* ESCO lists a few skills as both essential and optional for one
     * occupation: both rows are kept, the model reads them as essential */
    "  PRIMARY KEY (occupation_id, skill_id, essential)"
    ") WITHOUT ROWID;"
    "CREATE INDEX occupation_skills_skill ON occupation_skills(skill_id);"
    "CREATE TABLE occupation_parents ("
    "  occupation_id INTEGER NOT NULL REFERENCES occupations(id) ON DELETE CASCADE,"
    "  parent_id INTEGER NOT NULL REFERENCES occupations(id) ON DELETE CASCADE,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  PRIMARY KEY (occupation_id, parent_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX occupation_parents_parent ON occupation_parents(parent_id);"
    /* Risk of one occupation under one model. method: 'own' (in the source
     * file), 'inherited' (from the nearest ancestor occupation with a value,
     * from_occupation_id), 'crosswalk-onet' / 'crosswalk-isco' (Frey &
     * Osborne reached through a crosswalk; detail says how). */
    "CREATE TABLE occupation_risk ("
    "  occupation_id INTEGER NOT NULL REFERENCES occupations(id) ON DELETE CASCADE,"
    "  model TEXT NOT NULL,"
    "  risk REAL NOT NULL,"
    "  prevalence REAL,"
    "  category TEXT,"
    "  risk_nonphysical REAL,"
    "  prevalence_nonphysical REAL,"
    "  onet_code TEXT,"
    "  method TEXT NOT NULL,"
    "  from_occupation_id INTEGER REFERENCES occupations(id) ON DELETE CASCADE,"
    "  detail TEXT,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (occupation_id, model)"
    ") WITHOUT ROWID;"
    "CREATE TABLE isco_risk ("
    "  isco_code TEXT NOT NULL,"
    "  model TEXT NOT NULL,"
    "  risk REAL NOT NULL,"
    "  prevalence REAL,"
    "  category TEXT,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (isco_code, model)"
    ") WITHOUT ROWID;"
    "CREATE TABLE soc_risk ("
    "  soc_code TEXT NOT NULL,"
    "  model TEXT NOT NULL,"
    "  probability REAL NOT NULL,"
    "  title TEXT,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (soc_code, model)"
    ") WITHOUT ROWID;"
    "CREATE TABLE occupation_attributes ("
    "  occupation_id INTEGER PRIMARY KEY REFERENCES occupations(id) ON DELETE CASCADE,"
    "  job_zone REAL, education_level REAL, related_work_experience REAL,"
    "  on_the_job_training REAL, annual_earnings_gbp REAL, remote_labor_index REAL,"
    "  physical_proximity REAL, skills_sector TEXT, skills_subsector TEXT,"
    "  method TEXT NOT NULL,"
    "  from_occupation_id INTEGER REFERENCES occupations(id) ON DELETE CASCADE,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE"
    ");"
    "CREATE TABLE crosswalk_isco_soc ("
    "  isco_code TEXT NOT NULL, soc_code TEXT NOT NULL,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (isco_code, soc_code)"
    ") WITHOUT ROWID;"
    "CREATE TABLE crosswalk_esco_onet ("
    "  occupation_uri TEXT NOT NULL, onet_code TEXT NOT NULL, confidence REAL,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (occupation_uri, onet_code)"
    ") WITHOUT ROWID;"
    /* The search index: every label folded (case, accents, apostrophes);
     * kind 0 = occupation, 1 = skill. Rebuilt by every taxonomy import. */
    "CREATE TABLE search_terms ("
    "  folded TEXT NOT NULL,"
    "  kind INTEGER NOT NULL,"
    "  entity_id INTEGER NOT NULL,"
    "  lang TEXT NOT NULL,"
    "  preferred INTEGER NOT NULL,"
    "  label TEXT NOT NULL"
    ");"
    "CREATE INDEX search_terms_folded ON search_terms(folded);";

/* Version 2: accounts for `fow serve` (src/store/fow_accounts.c).
 * Times are unix seconds (UTC). Secrets are never stored: passwords as
 * libsodium crypto_pwhash_str strings (argon2id), session and API tokens as
 * the hex BLAKE2b-256 of the token. Roles are rows of `roles`, referenced by
 * users.role, so a later version adds a role with one INSERT. */
static const char migration_2[] =
    "CREATE TABLE roles ("
    "  name TEXT PRIMARY KEY,"
    "  description TEXT NOT NULL"
    ") WITHOUT ROWID;"
    "INSERT INTO roles (name, description) VALUES"
    "  ('admin', 'everything, including importing data and managing users'),"
    "  ('analyst', 'reads personal data and the statistics; cannot import the taxonomy'),"
    "  ('counsellor', 'reads personal data of the people they counsel');"
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE"
    "    CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^A-Za-z0-9._-]*'),"
    "  display_name TEXT NOT NULL DEFAULT '',"
    "  role TEXT NOT NULL REFERENCES roles(name),"
    "  password_hash TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  password_changed_at INTEGER NOT NULL,"
    "  last_login_at INTEGER,"
    "  failed_logins INTEGER NOT NULL DEFAULT 0," /* consecutive, reset by a success or a lock */
    "  locked_until INTEGER NOT NULL DEFAULT 0"   /* no login before this time; 0: not locked */
    ");"
    "CREATE INDEX users_role ON users(role);"
    "CREATE TABLE sessions ("
    "  id TEXT PRIMARY KEY,"                      /* hex BLAKE2b-256 of the session token */
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  csrf_token TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  last_seen_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX sessions_user ON sessions(user_id);"
    "CREATE INDEX sessions_expires ON sessions(expires_at);"
    "CREATE TABLE api_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  token_hash TEXT NOT NULL UNIQUE,"          /* hex BLAKE2b-256 of the token */
    "  created_at INTEGER NOT NULL,"
    "  last_used_at INTEGER,"
    "  revoked INTEGER NOT NULL DEFAULT 0,"
    "  revoked_at INTEGER"
    ");"
    "CREATE INDEX api_tokens_user ON api_tokens(user_id);"
    /* a label names one live token of a user; revoked ones free it */
    "CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens(user_id, name) WHERE revoked = 0;";

/* Version 3: employment by occupation (ISCO-08 at any level, or ESCO
 * occupations) for areas and years, with optional breakdowns; masked cells
 * are kept as unknown (employed NULL, masked 1), never as zero. */
static const char migration_3[] =
    "CREATE TABLE employment ("
    "  area TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  isco_code TEXT NOT NULL DEFAULT '',"     /* 1 to 4 digits, or '' for an ESCO occupation */
    "  occupation_id INTEGER REFERENCES occupations(id) ON DELETE CASCADE,"
    "  sector TEXT NOT NULL DEFAULT '',"        /* NACE Rev. 2; '' = all */
    "  sex TEXT NOT NULL DEFAULT '',"
    "  age_group TEXT NOT NULL DEFAULT '',"
    "  education TEXT NOT NULL DEFAULT '',"
    "  employed REAL,"                          /* persons; NULL when masked */
    "  masked INTEGER NOT NULL DEFAULT 0,"
    "  median_wage REAL,"
    "  line INTEGER NOT NULL,"                  /* where it came from in the source file */
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE"
    ");"
    "CREATE INDEX employment_area_year ON employment(area, year);";

/* Version 4: the version of the data (fow_data_version.h): one row that
 * every import updates in its transaction, against which snapshots of the
 * world (fow_world.h) are checked. */
static const char migration_4[] =
    "CREATE TABLE data_version ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  generation INTEGER NOT NULL,"             /* imports committed */
    "  stamp TEXT NOT NULL"                      /* 32 random hex digits, new at creation and per import */
    ");"
    "INSERT INTO data_version (id, generation, stamp) VALUES (1, 0, lower(hex(randomblob(16))));";

/* Version 5: sign-in and API tokens hardened (src/accounts). No account is
 * locked any more (throttling is per name and address, in memory), so the
 * lockout columns go. API tokens get an expiry (those made before: 90 days
 * after they were made) and a scope, the role they act with (those made
 * before: their user's role now). */
static const char migration_5[] =
    "ALTER TABLE users DROP COLUMN failed_logins;"
    "ALTER TABLE users DROP COLUMN locked_until;"
    "ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;" /* valid while now < expires_at */
    "ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT '';"        /* a role name */
    "UPDATE api_tokens SET expires_at = created_at + 90 * 86400,"
    "  scope = (SELECT role FROM users WHERE users.id = api_tokens.user_id);";

/* Version 6: people (src/people, docs/people.md): persons with their
 * consents per purpose, skills profiles and the audit log of staff reads;
 * the key check of the people key file; users get the organisation whose
 * people a counsellor sees; the role 'person' is reserved. Names and
 * contacts are stored only encrypted (XChaCha20-Poly1305 with the person id
 * as associated data) with a keyed BLAKE2b hash for exact look-up. An erased
 * person keeps a de-identified stub (erased_at set, every personal field
 * NULL) so that counts of people served stay right. */
static const char migration_6[] =
    "ALTER TABLE users ADD COLUMN organisation TEXT NOT NULL DEFAULT '';"
    "INSERT INTO roles (name, description) VALUES"
    "  ('person', 'reserved: a person served by the programme, who will see only their own record');"
    "CREATE TABLE people_key ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  key_check TEXT NOT NULL,"                 /* hex keyed BLAKE2b of a fixed text: which key file goes with this database */
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE people ("
    "  id TEXT PRIMARY KEY,"                     /* 'p' + 26 base32 characters of 16 random bytes */
    "  name_box BLOB,"                           /* nonce + ciphertext; NULL: none given or erased */
    "  contact_box BLOB,"
    "  name_lookup TEXT,"                        /* hex keyed BLAKE2b-256 of the folded name */
    "  contact_lookup TEXT,"
    "  birth_year INTEGER,"
    "  area TEXT,"
    "  occupation_uri TEXT,"                     /* ESCO occupation, current or last */
    "  employment_status TEXT,"
    "  organisation TEXT NOT NULL,"              /* who serves them; kept in the stub */
    "  created_at INTEGER NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  erased_at INTEGER"                         /* not NULL: a de-identified stub */
    ") WITHOUT ROWID;"
    "CREATE INDEX people_organisation ON people(organisation);"
    "CREATE INDEX people_name_lookup ON people(name_lookup);"
    "CREATE INDEX people_contact_lookup ON people(contact_lookup);"
    "CREATE TABLE person_consents ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id TEXT NOT NULL REFERENCES people(id),"
    "  purpose TEXT NOT NULL CHECK (purpose IN ('counselling', 'training', 'vouchers', 'statistics')),"
    "  text_version TEXT NOT NULL,"
    "  given_at INTEGER NOT NULL,"
    "  given_by TEXT NOT NULL,"
    "  withdrawn_at INTEGER,"
    "  withdrawn_by TEXT"
    ");"
    "CREATE INDEX person_consents_person ON person_consents(person_id, purpose);"
    "CREATE TABLE person_skills ("
    "  person_id TEXT NOT NULL REFERENCES people(id),"
    "  skill TEXT NOT NULL,"                    /* the skill's URI, or its label when it has none */
    "  provenance TEXT NOT NULL CHECK (provenance IN ('declared', 'counsellor', 'occupation', 'assessment', 'credential')),"
    "  detail TEXT NOT NULL DEFAULT '',"         /* the occupation, assessment or credential it came from */
    "  recorded_at INTEGER NOT NULL,"
    "  recorded_by TEXT NOT NULL,"
    "  PRIMARY KEY (person_id, skill, provenance)"
    ") WITHOUT ROWID;"
    /* the audit log: who read or changed which person's record, when and
     * why; no personal data (the person's pseudonymous id only); kept
     * after erasure */
    "CREATE TABLE person_audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  person_id TEXT NOT NULL,"                 /* '' for a list */
    "  reason TEXT NOT NULL"
    ");"
    "CREATE INDEX person_audit_person ON person_audit(person_id);";

/* Version 7: the learning catalogue (src/training): providers with their
 * accreditation, programmes, modules with the skills they teach and their
 * prerequisites. Every row belongs to the import that brought it (source_id);
 * a module's skills keep the key they were given with (URI and label) next
 * to the skill's id, which a later taxonomy import may take away (NULL). */
static const char migration_7[] =
    "CREATE TABLE training_providers ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  accreditation TEXT NOT NULL DEFAULT '',"      /* e.g. an ANC authorisation number */
    "  accreditation_valid_until TEXT NOT NULL DEFAULT '',"  /* YYYY-MM-DD, '' when not stated */
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  UNIQUE (source_id, name)"
    ");"
    "CREATE TABLE training_programmes ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  UNIQUE (source_id, name)"
    ");"
    "CREATE TABLE training_modules ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL,"
    "  provider_id INTEGER NOT NULL REFERENCES training_providers(id) ON DELETE CASCADE,"
    "  programme_id INTEGER REFERENCES training_programmes(id) ON DELETE CASCADE,"
    "  title_ro TEXT NOT NULL,"
    "  title_en TEXT NOT NULL,"
    "  description_ro TEXT NOT NULL DEFAULT '',"
    "  description_en TEXT NOT NULL DEFAULT '',"
    "  hours REAL NOT NULL CHECK (hours > 0),"
    "  mode TEXT NOT NULL CHECK (mode IN ('in_person', 'online', 'blended')),"
    "  language TEXT NOT NULL,"
    "  place TEXT NOT NULL DEFAULT '',"
    "  cost_minor INTEGER NOT NULL CHECK (cost_minor >= 0),"  /* per participant, in minor units (bani) */
    "  currency TEXT NOT NULL,"
    "  eligibility TEXT NOT NULL DEFAULT '',"
    "  line INTEGER NOT NULL,"                       /* where it came from in the source file */
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  UNIQUE (source_id, code)"
    ");"
    "CREATE TABLE training_module_skills ("
    "  module_id INTEGER NOT NULL REFERENCES training_modules(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  skill_id INTEGER REFERENCES skills(id) ON DELETE SET NULL,"
    "  skill_uri TEXT NOT NULL DEFAULT '',"
    "  skill_label TEXT NOT NULL,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (module_id, position)"
    ");"
    "CREATE INDEX training_module_skills_skill ON training_module_skills(skill_id);"
    "CREATE TABLE training_prerequisites ("
    "  module_id INTEGER NOT NULL REFERENCES training_modules(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('skill', 'module')),"
    "  skill_id INTEGER REFERENCES skills(id) ON DELETE SET NULL,"
    "  skill_uri TEXT NOT NULL DEFAULT '',"
    "  label TEXT NOT NULL,"                         /* the skill's label, or the required module's code */
    "  required_module_id INTEGER REFERENCES training_modules(id) ON DELETE CASCADE,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (module_id, position)"
    ");";

/* Version 8: cohorts and enrolment (src/training, cohort_store.c;
 * docs/training.md). A cohort is a run of a catalogue module, named by the
 * module's code (a re-import of the catalogue gives modules new ids, never
 * new codes), with its dates, sessions, place, capacity, language and
 * status. An enrolment is a person (their pseudonymous id and the
 * organisation that served them when enrolled) in a cohort: enrolled,
 * waiting (first come first served: by id), cancelled or completed (with a
 * result). A person holds at most one enrolment in a cohort that is not
 * cancelled (the partial unique index); attendance is per session. */
static const char migration_8[] =
    "CREATE TABLE training_cohorts ("
    "  id INTEGER PRIMARY KEY,"
    "  module_code TEXT NOT NULL,"
    "  starts_on TEXT NOT NULL,"                    /* YYYY-MM-DD */
    "  ends_on TEXT NOT NULL,"
    "  place TEXT NOT NULL DEFAULT '',"
    "  capacity INTEGER NOT NULL CHECK (capacity > 0),"
    "  language TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('planned', 'open', 'closed', 'finished', 'cancelled')),"
    "  created_at INTEGER NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  CHECK (ends_on >= starts_on)"
    ");"
    "CREATE INDEX training_cohorts_module ON training_cohorts(module_code, starts_on);"
    "CREATE TABLE training_cohort_sessions ("
    "  cohort_id INTEGER NOT NULL REFERENCES training_cohorts(id) ON DELETE CASCADE,"
    "  number INTEGER NOT NULL CHECK (number > 0),"  /* 1, 2, ... in date order */
    "  date TEXT NOT NULL,"                         /* YYYY-MM-DD */
    "  starts_at TEXT NOT NULL,"                    /* HH:MM, local time of the place */
    "  ends_at TEXT NOT NULL,"
    "  place TEXT NOT NULL DEFAULT '',"             /* '' : the cohort's place */
    "  PRIMARY KEY (cohort_id, number)"
    ") WITHOUT ROWID;"
    "CREATE TABLE training_enrolments ("
    "  id INTEGER PRIMARY KEY,"                     /* also the order of the waiting list */
    "  cohort_id INTEGER NOT NULL REFERENCES training_cohorts(id) ON DELETE CASCADE,"
    "  person_id TEXT NOT NULL,"                    /* src/people's pseudonymous id */
    "  organisation TEXT NOT NULL,"                 /* the person's, when enrolled: who sees the row */
    "  status TEXT NOT NULL CHECK (status IN ('enrolled', 'waiting', 'cancelled', 'completed')),"
    "  requested_at INTEGER NOT NULL,"
    "  requested_by TEXT NOT NULL,"
    "  enrolled_at INTEGER,"                        /* when a seat was given (at once, or on promotion) */
    "  cancelled_at INTEGER,"
    "  cancelled_by TEXT,"
    "  result TEXT CHECK (result IN ('passed', 'failed')),"
    "  score REAL CHECK (score >= 0 AND score <= 100),"
    "  completed_on TEXT,"                          /* YYYY-MM-DD */
    "  completed_at INTEGER,"
    "  completed_by TEXT"
    ");"
    "CREATE UNIQUE INDEX training_enrolments_active ON training_enrolments(cohort_id, person_id)"
    "  WHERE status <> 'cancelled';"
    "CREATE INDEX training_enrolments_person ON training_enrolments(person_id);"
    "CREATE TABLE training_attendance ("
    "  enrolment_id INTEGER NOT NULL REFERENCES training_enrolments(id) ON DELETE CASCADE,"
    "  session_number INTEGER NOT NULL,"
    "  present INTEGER NOT NULL CHECK (present IN (0, 1)),"
    "  recorded_at INTEGER NOT NULL,"
    "  recorded_by TEXT NOT NULL,"
    "  PRIMARY KEY (enrolment_id, session_number)"
    ") WITHOUT ROWID;";
/* Version 9: verifiable credentials (src/credentials): the issuer's public
 * key and profile (the secret key is in a key file, never here), the
 * credentials issued (a person's pseudonymous id, the module, the signed
 * VC-JWT) and their entries in the revocation status lists. */
static const char migration_9[] =
    "CREATE TABLE credential_issuer ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"     /* one issuer per database */
    "  url TEXT NOT NULL,"                          /* base URL of its stable addresses */
    "  name TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE credential_issuer_keys ("
    "  kid TEXT PRIMARY KEY,"                       /* RFC 7638 thumbprint of the public key */
    "  public_key TEXT NOT NULL,"                   /* base64url of the 32-byte Ed25519 key */
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE credentials ("
    "  id TEXT PRIMARY KEY,"                        /* urn:uuid:... */
    "  person_id TEXT NOT NULL,"                    /* pseudonymous (src/people) */
    "  subject TEXT NOT NULL,"                      /* the pseudonym the credential carries */
    "  module_id INTEGER NOT NULL,"                 /* as issued: a later import may renumber modules */
    "  module_code TEXT NOT NULL,"
    "  title_en TEXT NOT NULL,"
    "  title_ro TEXT NOT NULL,"
    "  completion_id TEXT NOT NULL DEFAULT '',"
    "  completed_on TEXT NOT NULL,"
    "  result TEXT NOT NULL DEFAULT '',"
    "  kid TEXT NOT NULL REFERENCES credential_issuer_keys(kid),"
    "  issued_at INTEGER NOT NULL,"
    "  issued_by TEXT NOT NULL,"
    "  valid_until INTEGER NOT NULL DEFAULT 0,"
    "  jwt TEXT NOT NULL"
    ");"
    "CREATE INDEX credentials_person ON credentials(person_id);"
    "CREATE TABLE credential_status_entries ("
    "  list INTEGER NOT NULL,"
    "  position INTEGER NOT NULL CHECK (position >= 0),"
    "  credential_id TEXT NOT NULL UNIQUE REFERENCES credentials(id),"
    "  revoked_at INTEGER NOT NULL DEFAULT 0,"      /* 0: not revoked; else the bit is 1 */
    "  revoked_by TEXT NOT NULL DEFAULT '',"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (list, position)"
    ") WITHOUT ROWID;";

/* Version 10: roles and access (issue 13, point 9; self-contained, so it
 * can take another number). New roles programme_manager and provider, the reserved
 * role person made real; an account is linked to the training provider it
 * works for (provider) or to the people record it belongs to (person), owned
 * by accounts (src/accounts); modules get a review status (src/training):
 * what an admin imported is approved, what a provider writes in fow starts
 * as a draft, is submitted, and is approved or rejected (with a reason) by
 * a programme manager; the public catalogue shows approved modules only. */
static const char migration_roles[] =
    "INSERT INTO roles (name, description) VALUES"
    "  ('programme_manager', 'approves modules and cohorts; reads the programme''s aggregates, no personal record'),"
    "  ('provider', 'a training provider''s staff: manages the modules of its own provider');"
    "UPDATE roles SET description = 'a person served by the programme: sees only their own record' WHERE name = 'person';"
    "ALTER TABLE users ADD COLUMN provider_id INTEGER REFERENCES training_providers(id) ON DELETE SET NULL;"
    "ALTER TABLE users ADD COLUMN person_id TEXT REFERENCES people(id);"
    "CREATE INDEX users_provider ON users(provider_id);"
    "CREATE INDEX users_person ON users(person_id);"
    "ALTER TABLE training_modules ADD COLUMN status TEXT NOT NULL DEFAULT 'approved'"
    "  CHECK (status IN ('draft', 'submitted', 'approved', 'rejected'));"
    "ALTER TABLE training_modules ADD COLUMN review_reason TEXT NOT NULL DEFAULT '';" /* why it was rejected */
    "ALTER TABLE training_modules ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE training_modules ADD COLUMN reviewed_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE training_modules ADD COLUMN written_by TEXT NOT NULL DEFAULT '';"     /* '' imported; else the account */
    "ALTER TABLE training_modules ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX training_modules_status ON training_modules(status);";

/* Version 11: the worker's plan (src/plans): a plan a counsellor makes
 * with a person (pseudonymous id), its target moves with the gap as it was
 * (a JSON snapshot, its date and the data version), the modules and
 * cohorts chosen, milestones, and the append-only history of every
 * change. */
static const char migration_11[] =
    "CREATE TABLE plans ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id TEXT NOT NULL,"                    /* pseudonymous (src/people) */
    "  organisation TEXT NOT NULL,"                 /* the person's, when the plan was made */
    "  title TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'completed', 'cancelled')),"
    "  created_at INTEGER NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX plans_person ON plans(person_id);"
    "CREATE TABLE plan_moves ("
    "  id INTEGER PRIMARY KEY,"
    "  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
    "  occupation_uri TEXT NOT NULL,"
    "  occupation_label TEXT NOT NULL,"
    "  gap_json TEXT NOT NULL,"                     /* the gap and the match as computed then */
    "  gap_at INTEGER NOT NULL,"
    "  data_generation INTEGER NOT NULL,"
    "  data_stamp TEXT NOT NULL,"
    "  UNIQUE (plan_id, occupation_uri)"
    ");"
    "CREATE TABLE plan_modules ("
    "  id INTEGER PRIMARY KEY,"
    "  move_id INTEGER NOT NULL REFERENCES plan_moves(id) ON DELETE CASCADE,"
    "  module_id INTEGER NOT NULL,"                 /* as chosen: a later import may renumber */
    "  module_code TEXT NOT NULL,"
    "  title_en TEXT NOT NULL,"
    "  title_ro TEXT NOT NULL,"
    "  hours REAL NOT NULL CHECK (hours >= 0),"
    "  cost_minor INTEGER NOT NULL CHECK (cost_minor >= 0),"
    "  currency TEXT NOT NULL,"
    "  cohort_id INTEGER,"                          /* NULL: no cohort chosen yet */
    "  starts_on TEXT NOT NULL DEFAULT '',"         /* YYYY-MM-DD of the cohort chosen */
    "  UNIQUE (move_id, module_code)"
    ");"
    "CREATE TABLE plan_milestones ("
    "  id INTEGER PRIMARY KEY,"
    "  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
    "  title TEXT NOT NULL,"
    "  due_on TEXT NOT NULL,"                       /* YYYY-MM-DD */
    "  status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'dropped'))"
    ");"
    "CREATE TABLE plan_history ("
    "  id INTEGER PRIMARY KEY,"
    "  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  detail TEXT NOT NULL"
    ");"
    "CREATE INDEX plan_history_plan ON plan_history(plan_id);";

/* Version 12 (src/people; number 12 in the plan of issue 13, renumbered when
 * merged): a person's sex, optional, for the programme indicators by sex
 * (src/indicators, docs/indicators.md) that funders ask for. NULL: not
 * stated; 'other' covers any other answer. Erasure blanks it. */
static const char migration_sex[] =
    "ALTER TABLE people ADD COLUMN sex TEXT CHECK (sex IN ('female', 'male', 'other'));";

/* Version 13: Cluj Experimentation Vouchers (src/vouchers; issue 14,
 * docs/vouchers.md): funds with their currency and budget lines per purpose
 * and year; the double-entry ledger (accounts, the append-only hash-chained
 * transfers, the cached balances); vouchers with their allowed providers and
 * modules; redemptions (the providers' claims) and payment batches. Money
 * is integer minor units (bani) everywhere. */
static const char migration_13[] =
    "CREATE TABLE voucher_funds ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  currency TEXT NOT NULL CHECK (length(currency) = 3),"   /* ISO 4217, e.g. RON */
    "  description TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  created_by TEXT NOT NULL"
    ");"
    "CREATE TABLE voucher_budget_lines ("
    "  id INTEGER PRIMARY KEY,"
    "  fund_id INTEGER NOT NULL REFERENCES voucher_funds(id),"
    "  purpose TEXT NOT NULL,"                      /* checked in C: the list may grow (lab time came later) */
    "  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),"
    "  name TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  UNIQUE (fund_id, purpose, year)"
    ");"
    /* An account of the ledger: kind and the row it belongs to (a fund, a
     * budget line, a voucher, a redemption, a training provider). */
    "CREATE TABLE voucher_accounts ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('fund', 'available', 'voucher', 'claim', 'payable', 'paid')),"
    "  owner_id INTEGER NOT NULL,"
    "  currency TEXT NOT NULL CHECK (length(currency) = 3),"
    "  may_go_negative INTEGER NOT NULL CHECK (may_go_negative IN (0, 1)),"
    "  created_at INTEGER NOT NULL,"
    "  UNIQUE (kind, owner_id)"
    ");"
    "CREATE TABLE voucher_balances ("                /* cached: written only with the transfer that moves it */
    "  account_id INTEGER PRIMARY KEY REFERENCES voucher_accounts(id),"
    "  balance_minor INTEGER NOT NULL,"
    "  may_go_negative INTEGER NOT NULL CHECK (may_go_negative IN (0, 1)),"   /* the account's, copied */
    "  transfers INTEGER NOT NULL DEFAULT 0,"
    "  CHECK (balance_minor >= 0 OR may_go_negative = 1)"
    ");"
    "CREATE TABLE voucher_transfers ("
    "  id INTEGER PRIMARY KEY,"                     /* its place in the chain, 1, 2, 3 ... */
    "  idempotency_key TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL,"                         /* allocate, issue, redeem, complete, pay, expire, cancel, refund */
    "  from_account INTEGER NOT NULL REFERENCES voucher_accounts(id),"   /* debited */
    "  to_account INTEGER NOT NULL REFERENCES voucher_accounts(id),"     /* credited */
    "  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),"
    "  currency TEXT NOT NULL CHECK (length(currency) = 3),"
    "  actor TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  prev_hash TEXT NOT NULL,"                    /* hex of the previous transfer's hash; 64 zeros for the first */
    "  hash TEXT NOT NULL,"                         /* hex SHA-256 of the canonical encoding (docs/vouchers.md) */
    "  CHECK (from_account <> to_account)"
    ");"
    "CREATE INDEX voucher_transfers_from ON voucher_transfers(from_account);"
    "CREATE INDEX voucher_transfers_to ON voucher_transfers(to_account);"
    "CREATE TRIGGER voucher_transfers_no_update BEFORE UPDATE ON voucher_transfers"
    "  BEGIN SELECT RAISE(ABORT, 'voucher_transfers is append-only'); END;"
    "CREATE TRIGGER voucher_transfers_no_delete BEFORE DELETE ON voucher_transfers"
    "  BEGIN SELECT RAISE(ABORT, 'voucher_transfers is append-only'); END;"
    "CREATE TRIGGER voucher_accounts_no_update BEFORE UPDATE ON voucher_accounts"
    "  BEGIN SELECT RAISE(ABORT, 'voucher_accounts are never changed'); END;"
    "CREATE TRIGGER voucher_accounts_no_delete BEFORE DELETE ON voucher_accounts"
    "  BEGIN SELECT RAISE(ABORT, 'voucher_accounts are never deleted'); END;"
    "CREATE TRIGGER voucher_balances_no_delete BEFORE DELETE ON voucher_balances"
    "  BEGIN SELECT RAISE(ABORT, 'voucher_balances are never deleted'); END;"
    "CREATE TABLE vouchers ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"                  /* random, human-typable, with a check character */
    "  line_id INTEGER NOT NULL REFERENCES voucher_budget_lines(id),"
    "  person_id TEXT NOT NULL,"                    /* pseudonymous (src/people) */
    "  value_minor INTEGER NOT NULL CHECK (value_minor > 0),"
    "  currency TEXT NOT NULL,"
    "  purpose TEXT NOT NULL,"
    "  valid_from TEXT NOT NULL,"                   /* YYYY-MM-DD */
    "  valid_until TEXT NOT NULL,"                  /* YYYY-MM-DD, last day it can be redeemed */
    "  status TEXT NOT NULL CHECK (status IN ('issued', 'active', 'expired', 'cancelled')),"
    "  award_ref TEXT NOT NULL DEFAULT '',"         /* what it was awarded by (a call's award), '' if none */
    "  min_attendance_percent INTEGER NOT NULL DEFAULT 80 CHECK (min_attendance_percent BETWEEN 0 AND 100),"
    "  issue_key TEXT NOT NULL UNIQUE,"             /* the idempotency key of its issue */
    "  issued_at INTEGER NOT NULL,"
    "  issued_by TEXT NOT NULL,"
    "  changed_at INTEGER NOT NULL,"
    "  changed_by TEXT NOT NULL,"
    "  note TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX vouchers_person ON vouchers(person_id);"
    "CREATE INDEX vouchers_line ON vouchers(line_id);"
    "CREATE TABLE voucher_allowed_providers ("
    "  voucher_id INTEGER NOT NULL REFERENCES vouchers(id),"
    "  provider_id INTEGER NOT NULL,"
    "  PRIMARY KEY (voucher_id, provider_id)"
    ") WITHOUT ROWID;"
    "CREATE TABLE voucher_allowed_modules ("
    "  voucher_id INTEGER NOT NULL REFERENCES vouchers(id),"
    "  module_code TEXT NOT NULL,"                  /* codes: a later import may renumber modules */
    "  PRIMARY KEY (voucher_id, module_code)"
    ") WITHOUT ROWID;"
    "CREATE TABLE voucher_payment_batches ("
    "  id INTEGER PRIMARY KEY,"
    "  currency TEXT NOT NULL,"
    "  total_minor INTEGER NOT NULL CHECK (total_minor >= 0),"
    "  claims INTEGER NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('draft', 'paid')),"
    "  created_at INTEGER NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  approved_at INTEGER NOT NULL DEFAULT 0,"
    "  approved_by TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE TABLE voucher_redemptions ("             /* a provider's claim */
    "  id INTEGER PRIMARY KEY,"
    "  voucher_id INTEGER NOT NULL REFERENCES vouchers(id),"
    "  provider_id INTEGER NOT NULL,"
    "  enrolment_id INTEGER NOT NULL,"              /* training_enrolments (src/training) */
    "  cohort_id INTEGER NOT NULL,"
    "  module_code TEXT NOT NULL,"
    "  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),"
    "  currency TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('redeemed', 'payable', 'batched', 'paid', 'refunded')),"
    "  idempotency_key TEXT NOT NULL UNIQUE,"
    "  redeemed_at INTEGER NOT NULL,"
    "  redeemed_by TEXT NOT NULL,"
    "  attendance_percent INTEGER NOT NULL DEFAULT 0,"
    "  payable_at INTEGER NOT NULL DEFAULT 0,"
    "  note TEXT NOT NULL DEFAULT '',"              /* why refunded, or the attendance found */
    "  batch_id INTEGER REFERENCES voucher_payment_batches(id),"
    "  changed_at INTEGER NOT NULL,"
    "  changed_by TEXT NOT NULL"
    ");"
    "CREATE INDEX voucher_redemptions_voucher ON voucher_redemptions(voucher_id);"
    "CREATE UNIQUE INDEX voucher_redemptions_enrolment ON voucher_redemptions(enrolment_id)"
    "  WHERE status <> 'refunded';"
    "CREATE INDEX voucher_redemptions_provider ON voucher_redemptions(provider_id, status);"
    "CREATE INDEX voucher_redemptions_batch ON voucher_redemptions(batch_id);";

/* Version 14: the calls for applications of the voucher programme
 * (src/vouchers/calls_store.c; issue 14, points 2 and 3,
 * docs/vouchers-calls.md): a call on a budget line with its titles, dates,
 * voucher values per kind of applicant, criteria with weights and
 * eligibility rules as data (one JSON object per rule); the applications of
 * persons (pseudonymous id only) and enterprises with the eligibility kept
 * rule by rule and their history; the jury (accounts of the new role
 * juror), conflicts of interest, scores per criterion, and the decisions
 * (awards with their value, rejections, waiting list). */
static const char migration_14[] =
    "INSERT INTO roles (name, description) VALUES"
    "  ('juror', 'scores the applications of the calls whose jury they sit on; declares conflicts of interest');"
    "CREATE TABLE voucher_calls ("
    "  id INTEGER PRIMARY KEY,"
    "  budget_line_id INTEGER NOT NULL REFERENCES voucher_budget_lines(id),"
    "  title_en TEXT NOT NULL,"
    "  title_ro TEXT NOT NULL,"
    "  opens_on TEXT NOT NULL,"                     /* YYYY-MM-DD, included */
    "  closes_on TEXT NOT NULL,"                    /* YYYY-MM-DD, included */
    "  created_at INTEGER NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  CHECK (opens_on <= closes_on)"
    ");"
    "CREATE TABLE voucher_call_values ("
    "  call_id INTEGER NOT NULL REFERENCES voucher_calls(id) ON DELETE CASCADE,"
    "  applicant_kind TEXT NOT NULL CHECK (applicant_kind IN ('person', 'enterprise')),"
    "  mode TEXT NOT NULL CHECK (mode IN ('fixed', 'up_to')),"
    "  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),"
    "  PRIMARY KEY (call_id, applicant_kind)"
    ") WITHOUT ROWID;"
    "CREATE TABLE voucher_call_criteria ("
    "  id INTEGER PRIMARY KEY,"
    "  call_id INTEGER NOT NULL REFERENCES voucher_calls(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  code TEXT NOT NULL,"
    "  title_en TEXT NOT NULL,"
    "  title_ro TEXT NOT NULL,"
    "  weight INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 100),"
    "  max_score INTEGER NOT NULL CHECK (max_score BETWEEN 1 AND 100),"
    "  UNIQUE (call_id, code),"
    "  UNIQUE (call_id, position)"
    ");"
    "CREATE TABLE voucher_call_rules ("
    "  call_id INTEGER NOT NULL REFERENCES voucher_calls(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  params TEXT NOT NULL,"                       /* the rule as canonical JSON: {\"kind\": ..., ...} */
    "  PRIMARY KEY (call_id, position)"
    ") WITHOUT ROWID;"
    "CREATE TABLE voucher_applications ("
    "  id INTEGER PRIMARY KEY,"
    "  call_id INTEGER NOT NULL REFERENCES voucher_calls(id),"
    "  applicant_kind TEXT NOT NULL CHECK (applicant_kind IN ('person', 'enterprise')),"
    "  person_id TEXT,"                             /* pseudonymous (src/people); NULL for an enterprise */
    "  plan_id INTEGER,"                            /* the plan a counsellor applied from (src/plans), or NULL */
    "  organisation TEXT NOT NULL DEFAULT '',"      /* the person's, when they applied */
    "  enterprise_name TEXT,"
    "  enterprise_code TEXT,"                       /* CUI, digits only */
    "  requested_minor INTEGER NOT NULL CHECK (requested_minor > 0),"
    "  proposal TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('submitted', 'eligible', 'ineligible', 'scored', 'awarded',"
    "    'rejected', 'waitlisted')),"
    "  eligibility TEXT NOT NULL,"                  /* the evaluation rule by rule (JSON), as at submission */
    "  submitted_at INTEGER NOT NULL,"
    "  submitted_by TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK ((applicant_kind = 'person') = (person_id IS NOT NULL)),"
    "  CHECK ((applicant_kind = 'enterprise') = (enterprise_code IS NOT NULL)),"
    "  UNIQUE (call_id, person_id),"
    "  UNIQUE (call_id, enterprise_code)"
    ");"
    "CREATE INDEX voucher_applications_person ON voucher_applications(person_id);"
    "CREATE TABLE voucher_application_history ("
    "  id INTEGER PRIMARY KEY,"
    "  application_id INTEGER NOT NULL REFERENCES voucher_applications(id),"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  detail TEXT NOT NULL"
    ");"
    "CREATE INDEX voucher_application_history_app ON voucher_application_history(application_id);"
    "CREATE TABLE voucher_jurors ("
    "  call_id INTEGER NOT NULL REFERENCES voucher_calls(id),"
    "  juror TEXT NOT NULL,"                        /* an account's name (role juror) */
    "  added_at INTEGER NOT NULL,"
    "  added_by TEXT NOT NULL,"
    "  PRIMARY KEY (call_id, juror)"
    ") WITHOUT ROWID;"
    "CREATE TABLE voucher_conflicts ("
    "  application_id INTEGER NOT NULL REFERENCES voucher_applications(id),"
    "  juror TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  declared_at INTEGER NOT NULL,"
    "  PRIMARY KEY (application_id, juror)"
    ") WITHOUT ROWID;"
    "CREATE TABLE voucher_scores ("
    "  application_id INTEGER NOT NULL REFERENCES voucher_applications(id),"
    "  juror TEXT NOT NULL,"
    "  criterion_id INTEGER NOT NULL REFERENCES voucher_call_criteria(id),"
    "  score INTEGER NOT NULL CHECK (score >= 0),"
    "  comment TEXT NOT NULL DEFAULT '',"
    "  scored_at INTEGER NOT NULL,"
    "  PRIMARY KEY (application_id, juror, criterion_id)"
    ") WITHOUT ROWID;"
    "CREATE TABLE voucher_awards ("                  /* every decision; the latest is in force */
    "  id INTEGER PRIMARY KEY,"
    "  application_id INTEGER NOT NULL REFERENCES voucher_applications(id),"
    "  call_id INTEGER NOT NULL REFERENCES voucher_calls(id),"
    "  decision TEXT NOT NULL CHECK (decision IN ('awarded', 'rejected', 'waitlisted')),"
    "  value_minor INTEGER NOT NULL CHECK (value_minor >= 0),"   /* 0 unless awarded */
    "  currency TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  rank_position INTEGER NOT NULL,"             /* in the ranking at the decision; 0 not ranked */
    "  weighted_score_micro INTEGER NOT NULL,"      /* weighted score x 1,000,000; -1 none */
    "  decided_at INTEGER NOT NULL,"
    "  decided_by TEXT NOT NULL,"
    "  voucher_id INTEGER REFERENCES vouchers(id)," /* the voucher issued for it, or NULL */
    "  CHECK (decision = 'awarded' OR value_minor = 0)"
    ");"
    "CREATE INDEX voucher_awards_app ON voucher_awards(application_id);"
    "CREATE INDEX voucher_awards_call ON voucher_awards(call_id);"
    "CREATE UNIQUE INDEX voucher_awards_once ON voucher_awards(application_id) WHERE decision = 'awarded';";

/* Version 15 (src/taxonomy): ESCO's skill hierarchy (fow import
 * skill_hierarchy; docs/transitions.md "The skill hierarchy"). skill_groups:
 * the skill groups of the hierarchy (ESCO's skillGroups file), each below
 * its broader group (NULL at the top). skill_broader: a skill's broader
 * concepts, each either a broader skill or a skill group (exactly one of
 * the two), as ESCO's broaderRelationsSkillPillar file gives them. */
static const char migration_15[] =
    "CREATE TABLE skill_groups ("
    "  id INTEGER PRIMARY KEY,"
    "  uri TEXT NOT NULL UNIQUE,"
    "  code TEXT,"
    "  label TEXT NOT NULL,"
    "  broader_id INTEGER REFERENCES skill_groups(id) ON DELETE SET NULL,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id)"
    ");"
    "CREATE TABLE skill_broader ("
    "  skill_id INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE,"
    "  broader_skill_id INTEGER REFERENCES skills(id) ON DELETE CASCADE,"
    "  broader_group_id INTEGER REFERENCES skill_groups(id) ON DELETE CASCADE,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  CHECK ((broader_skill_id IS NULL) <> (broader_group_id IS NULL))"
    ");"
    "CREATE INDEX skill_broader_skill ON skill_broader(skill_id);";

/* Version 16 (src/vouchers; issue 14, an award issues its voucher,
 * docs/vouchers-calls.md "Issuing the voucher"): a voucher names its
 * beneficiary, a person (person_id) or an enterprise (its registration
 * code and name), exactly one of them; and a call states the terms of the
 * vouchers its awards issue (how many months they are valid, whether they
 * are active at once, the attendance that makes a claim payable).
 * vouchers.person_id loses its NOT NULL, which SQLite changes only by
 * rebuilding the table: the rows that reference vouchers are set aside
 * and put back around the rebuild (foreign keys stay on throughout, and
 * the implicit DELETE of the DROP then finds no referencing row). */
static const char migration_16[] =
    "CREATE TEMP TABLE m16_allowed_providers AS SELECT * FROM voucher_allowed_providers;"
    "CREATE TEMP TABLE m16_allowed_modules AS SELECT * FROM voucher_allowed_modules;"
    "CREATE TEMP TABLE m16_redemptions AS SELECT * FROM voucher_redemptions;"
    "CREATE TEMP TABLE m16_awards AS SELECT * FROM voucher_awards;"
    "DELETE FROM voucher_allowed_providers;"
    "DELETE FROM voucher_allowed_modules;"
    "DELETE FROM voucher_redemptions;"
    "DELETE FROM voucher_awards;"
    "CREATE TABLE vouchers_m16 ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  line_id INTEGER NOT NULL REFERENCES voucher_budget_lines(id),"
    "  person_id TEXT,"                             /* pseudonymous (src/people); NULL for an enterprise */
    "  value_minor INTEGER NOT NULL CHECK (value_minor > 0),"
    "  currency TEXT NOT NULL,"
    "  purpose TEXT NOT NULL,"
    "  valid_from TEXT NOT NULL,"
    "  valid_until TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('issued', 'active', 'expired', 'cancelled')),"
    "  award_ref TEXT NOT NULL DEFAULT '',"
    "  min_attendance_percent INTEGER NOT NULL DEFAULT 80 CHECK (min_attendance_percent BETWEEN 0 AND 100),"
    "  issue_key TEXT NOT NULL UNIQUE,"
    "  issued_at INTEGER NOT NULL,"
    "  issued_by TEXT NOT NULL,"
    "  changed_at INTEGER NOT NULL,"
    "  changed_by TEXT NOT NULL,"
    "  note TEXT NOT NULL DEFAULT '',"
    "  beneficiary_kind TEXT NOT NULL DEFAULT 'person' CHECK (beneficiary_kind IN ('person', 'enterprise')),"
    "  enterprise_code TEXT,"                       /* CUI, digits only; NULL for a person */
    "  enterprise_name TEXT,"
    "  CHECK ((beneficiary_kind = 'person') = (person_id IS NOT NULL)),"
    "  CHECK ((beneficiary_kind = 'enterprise') = (enterprise_code IS NOT NULL AND enterprise_name IS NOT NULL)),"
    "  CHECK ((person_id IS NULL) <> (enterprise_code IS NULL))"
    ");"
    "INSERT INTO vouchers_m16 (id, code, line_id, person_id, value_minor, currency, purpose, valid_from, valid_until,"
    "  status, award_ref, min_attendance_percent, issue_key, issued_at, issued_by, changed_at, changed_by, note)"
    "  SELECT id, code, line_id, person_id, value_minor, currency, purpose, valid_from, valid_until, status,"
    "  award_ref, min_attendance_percent, issue_key, issued_at, issued_by, changed_at, changed_by, note FROM vouchers;"
    "DROP TABLE vouchers;"
    "ALTER TABLE vouchers_m16 RENAME TO vouchers;"
    "CREATE INDEX vouchers_person ON vouchers(person_id);"
    "CREATE INDEX vouchers_line ON vouchers(line_id);"
    "CREATE INDEX vouchers_enterprise ON vouchers(enterprise_code);"
    "INSERT INTO voucher_allowed_providers SELECT * FROM m16_allowed_providers;"
    "INSERT INTO voucher_allowed_modules SELECT * FROM m16_allowed_modules;"
    "INSERT INTO voucher_redemptions SELECT * FROM m16_redemptions;"
    "INSERT INTO voucher_awards SELECT * FROM m16_awards;"
    "DROP TABLE m16_allowed_providers;"
    "DROP TABLE m16_allowed_modules;"
    "DROP TABLE m16_redemptions;"
    "DROP TABLE m16_awards;"
    "ALTER TABLE voucher_calls ADD COLUMN voucher_valid_months INTEGER NOT NULL DEFAULT 12"
    "  CHECK (voucher_valid_months BETWEEN 1 AND 60);"
    "ALTER TABLE voucher_calls ADD COLUMN voucher_active INTEGER NOT NULL DEFAULT 1 CHECK (voucher_active IN (0, 1));"
    "ALTER TABLE voucher_calls ADD COLUMN voucher_min_attendance INTEGER NOT NULL DEFAULT 80"
    "  CHECK (voucher_min_attendance BETWEEN 0 AND 100);"
    "CREATE UNIQUE INDEX voucher_awards_voucher ON voucher_awards(voucher_id) WHERE voucher_id IS NOT NULL;";

/* Version 17 (issue 14, the voucher office): the voucher office. The role voucher_office (manage_vouchers and
 * read_programme, docs/roles.md) and the training providers' bank accounts
 * for the SEPA payment file of a payment batch (src/training,
 * fow_training_provider_set_bank: an IBAN checked mod 97 and a BIC; '' when
 * none is recorded). */
static const char migration_office[] =
    "INSERT INTO roles (name, description) VALUES"
    "  ('voucher_office', 'the voucher office: funds, budget lines, vouchers, claims and payments; "
    "re-enters its password for every action that moves money');"
    "ALTER TABLE training_providers ADD COLUMN iban TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE training_providers ADD COLUMN bic TEXT NOT NULL DEFAULT '';";

/* Version 18 (issue 15): the CREIC labs (src/labs, docs/labs.md). Labs with
 * their spaces and machines (one table, lab_resources, kind space or
 * machine), weekly opening hours, Romanian public holidays as data,
 * closures and maintenance windows; what unlocks a machine (modules of the
 * learning catalogue, or skills a credential's module teaches); prices per
 * category; bookings that never overlap on one resource (two triggers, so
 * no code path can write an overlap), weekly series, the waiting list and
 * the projects carried out. Times are Unix seconds (UTC); days and weekdays
 * are those of the lab's time zone (Europe/Bucharest). The roles lab_manager,
 * lab_staff and teacher. The charge of a booking to a lab_time voucher is the
 * vouchers module's table voucher_lab_charges (src/vouchers): one charge per
 * booking, its ledger transfer keyed by the charge's idempotency key. */
static const char migration_labs[] =
    "INSERT INTO roles (name, description) VALUES"
    "  ('lab_manager', 'manages the CREIC labs: spaces, machines, hours, closures, prices, the trainings a machine "
    "requires; reads the labs'' usage reports'),"
    "  ('lab_staff', 'a lab''s staff: sees the day''s bookings, checks users in and out, records in-lab inductions'),"
    "  ('teacher', 'a school''s or university''s teacher: books spaces for a class and weekly series over a semester');"
    "CREATE TABLE labs ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"                  /* e.g. 'cgi-vfx' */
    "  name_en TEXT NOT NULL,"
    "  name_ro TEXT NOT NULL,"
    "  description_en TEXT NOT NULL DEFAULT '',"
    "  description_ro TEXT NOT NULL DEFAULT '',"
    "  address TEXT NOT NULL DEFAULT '',"
    "  timezone TEXT NOT NULL DEFAULT 'Europe/Bucharest',"
    "  provider_id INTEGER,"                        /* the lab's operator as a training provider (src/training): it
                                                     * gives in-lab inductions; voucher charges are payable to it */
    "  cancel_deadline_hours INTEGER NOT NULL DEFAULT 24 CHECK (cancel_deadline_hours BETWEEN 0 AND 720),"
    "  late_cancel_fee_percent INTEGER NOT NULL DEFAULT 50 CHECK (late_cancel_fee_percent BETWEEN 0 AND 100),"
    "  offer_hours INTEGER NOT NULL DEFAULT 12 CHECK (offer_hours BETWEEN 1 AND 168),"   /* a waiting-list offer */
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE lab_resources ("
    "  id INTEGER PRIMARY KEY,"
    "  lab_id INTEGER NOT NULL REFERENCES labs(id),"
    "  code TEXT NOT NULL UNIQUE,"                  /* e.g. 'laser-cutter-1' */
    "  kind TEXT NOT NULL CHECK (kind IN ('space', 'machine')),"
    "  name_en TEXT NOT NULL,"
    "  name_ro TEXT NOT NULL,"
    "  description_en TEXT NOT NULL DEFAULT '',"
    "  description_ro TEXT NOT NULL DEFAULT '',"
    "  safety_en TEXT NOT NULL DEFAULT '',"
    "  safety_ro TEXT NOT NULL DEFAULT '',"
    "  photo TEXT NOT NULL DEFAULT '',"             /* a path under web/ or an https URL; '' none */
    "  capacity INTEGER NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 1 AND 500),"   /* people; 1 for a machine */
    "  slot_minutes INTEGER NOT NULL DEFAULT 60 CHECK (slot_minutes IN (15, 30, 60, 120, 240)),"
    "  max_slots INTEGER NOT NULL DEFAULT 4 CHECK (max_slots BETWEEN 1 AND 96),"   /* longest booking, in slots */
    "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX lab_resources_lab ON lab_resources(lab_id);"
    "CREATE TABLE lab_opening_hours ("
    "  lab_id INTEGER NOT NULL REFERENCES labs(id),"
    "  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),"   /* ISO 8601: 1 Monday ... 7 Sunday */
    "  opens_minute INTEGER NOT NULL CHECK (opens_minute BETWEEN 0 AND 1439),"
    "  closes_minute INTEGER NOT NULL CHECK (closes_minute BETWEEN 1 AND 1440),"
    "  CHECK (closes_minute > opens_minute),"
    "  PRIMARY KEY (lab_id, weekday, opens_minute)"
    ") WITHOUT ROWID;"
    "CREATE TABLE lab_holidays ("                   /* public holidays: every lab is closed */
    "  day TEXT PRIMARY KEY,"                       /* YYYY-MM-DD */
    "  name_en TEXT NOT NULL,"
    "  name_ro TEXT NOT NULL,"
    "  source TEXT NOT NULL DEFAULT ''"             /* e.g. 'Codul muncii, art. 139' */
    ") WITHOUT ROWID;"
    "CREATE TABLE lab_closures ("
    "  id INTEGER PRIMARY KEY,"
    "  lab_id INTEGER NOT NULL REFERENCES labs(id),"
    "  resource_id INTEGER REFERENCES lab_resources(id),"   /* NULL: the whole lab */
    "  kind TEXT NOT NULL CHECK (kind IN ('closure', 'maintenance')),"
    "  starts_at INTEGER NOT NULL,"
    "  ends_at INTEGER NOT NULL,"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  CHECK (ends_at > starts_at)"
    ");"
    "CREATE INDEX lab_closures_lab ON lab_closures(lab_id, starts_at);"
    /* What unlocks a machine: every row of a resource is required (AND). A
     * 'module' row is met by a valid, unrevoked credential of that module
     * code; a 'skill' row (an ESCO skill URI) by a valid, unrevoked
     * credential of a module that teaches that skill. */
    "CREATE TABLE lab_requirements ("
    "  resource_id INTEGER NOT NULL REFERENCES lab_resources(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('module', 'skill')),"
    "  ref TEXT NOT NULL,"
    "  PRIMARY KEY (resource_id, kind, ref)"
    ") WITHOUT ROWID;"
    "CREATE TABLE lab_prices ("
    "  resource_id INTEGER NOT NULL REFERENCES lab_resources(id),"
    "  category TEXT NOT NULL CHECK (category IN ('school', 'university', 'enterprise', 'resident', 'culturepreneur')),"
    "  per_hour_minor INTEGER NOT NULL CHECK (per_hour_minor >= 0),"
    "  currency TEXT NOT NULL CHECK (length(currency) = 3),"
    "  PRIMARY KEY (resource_id, category)"
    ") WITHOUT ROWID;"
    "CREATE TABLE lab_series ("                     /* a weekly series (a school's or university's semester) */
    "  id INTEGER PRIMARY KEY,"
    "  resource_id INTEGER NOT NULL REFERENCES lab_resources(id),"
    "  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),"
    "  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),"
    "  minutes INTEGER NOT NULL CHECK (minutes > 0),"
    "  first_day TEXT NOT NULL,"                    /* YYYY-MM-DD */
    "  last_day TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),"
    "  created_at INTEGER NOT NULL,"
    "  created_by TEXT NOT NULL"
    ");"
    "CREATE TABLE lab_projects ("                   /* a project carried out in a lab */
    "  id INTEGER PRIMARY KEY,"
    "  lab_id INTEGER NOT NULL REFERENCES labs(id),"
    "  person_id TEXT,"                             /* pseudonymous (src/people) */
    "  enterprise_code TEXT,"                       /* CUI, digits only */
    "  title TEXT NOT NULL,"
    "  summary TEXT NOT NULL DEFAULT '',"
    "  outcome TEXT NOT NULL DEFAULT '',"
    "  label_ref TEXT NOT NULL DEFAULT '',"         /* later: the local label's register */
    "  startup_ref TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  CHECK (person_id IS NOT NULL OR enterprise_code IS NOT NULL)"
    ");"
    "CREATE TABLE lab_bookings ("
    "  id INTEGER PRIMARY KEY,"
    "  uid TEXT NOT NULL UNIQUE,"                   /* the iCalendar UID, never changed */
    "  resource_id INTEGER NOT NULL REFERENCES lab_resources(id),"
    "  starts_at INTEGER NOT NULL,"
    "  ends_at INTEGER NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('confirmed', 'checked_in', 'completed', 'no_show', 'cancelled')),"
    "  person_id TEXT,"                             /* pseudonymous (src/people): who uses it; NULL for a group */
    "  enterprise_code TEXT,"
    "  booked_by TEXT NOT NULL,"                    /* the account that booked */
    "  category TEXT NOT NULL CHECK (category IN ('school', 'university', 'enterprise', 'resident', 'culturepreneur')),"
    "  group_name TEXT NOT NULL DEFAULT '',"        /* a class, for a teacher's group booking */
    "  group_size INTEGER NOT NULL DEFAULT 1 CHECK (group_size BETWEEN 1 AND 500),"
    "  series_id INTEGER REFERENCES lab_series(id),"
    "  project_id INTEGER REFERENCES lab_projects(id),"
    "  note TEXT NOT NULL DEFAULT '',"
    "  price_minor INTEGER NOT NULL DEFAULT 0 CHECK (price_minor >= 0),"
    "  currency TEXT NOT NULL DEFAULT 'RON',"
    "  payment TEXT NOT NULL CHECK (payment IN ('free', 'voucher', 'invoice')),"
    "  voucher_code TEXT NOT NULL DEFAULT '',"
    "  invoice_ref TEXT NOT NULL DEFAULT '',"
    "  fee_minor INTEGER NOT NULL DEFAULT 0 CHECK (fee_minor >= 0),"   /* a late cancellation's fee */
    "  sequence INTEGER NOT NULL DEFAULT 0,"        /* the iCalendar SEQUENCE: raised by every change */
    "  idempotency_key TEXT UNIQUE,"
    "  checked_in_at INTEGER NOT NULL DEFAULT 0,"
    "  checked_out_at INTEGER NOT NULL DEFAULT 0,"
    "  checked_by TEXT NOT NULL DEFAULT '',"
    "  cancel_reason TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  changed_at INTEGER NOT NULL,"
    "  changed_by TEXT NOT NULL,"
    "  CHECK (ends_at > starts_at)"
    ");"
    "CREATE INDEX lab_bookings_resource ON lab_bookings(resource_id, starts_at);"
    "CREATE INDEX lab_bookings_person ON lab_bookings(person_id);"
    "CREATE INDEX lab_bookings_series ON lab_bookings(series_id);"
    /* No two live bookings of a resource overlap, whatever writes them. */
    "CREATE TRIGGER lab_bookings_no_overlap_insert BEFORE INSERT ON lab_bookings WHEN NEW.status <> 'cancelled'"
    "  BEGIN SELECT RAISE(ABORT, 'lab_bookings: the slot overlaps a booking of the same resource')"
    "  WHERE EXISTS (SELECT 1 FROM lab_bookings b WHERE b.resource_id = NEW.resource_id"
    "    AND b.status <> 'cancelled' AND b.starts_at < NEW.ends_at AND b.ends_at > NEW.starts_at); END;"
    "CREATE TRIGGER lab_bookings_no_overlap_update BEFORE UPDATE OF resource_id, starts_at, ends_at, status"
    "  ON lab_bookings WHEN NEW.status <> 'cancelled'"
    "  BEGIN SELECT RAISE(ABORT, 'lab_bookings: the slot overlaps a booking of the same resource')"
    "  WHERE EXISTS (SELECT 1 FROM lab_bookings b WHERE b.resource_id = NEW.resource_id AND b.id <> NEW.id"
    "    AND b.status <> 'cancelled' AND b.starts_at < NEW.ends_at AND b.ends_at > NEW.starts_at); END;"
    "CREATE TABLE lab_waitlist ("
    "  id INTEGER PRIMARY KEY,"
    "  resource_id INTEGER NOT NULL REFERENCES lab_resources(id),"
    "  starts_at INTEGER NOT NULL,"
    "  ends_at INTEGER NOT NULL,"
    "  person_id TEXT,"
    "  enterprise_code TEXT,"
    "  account TEXT NOT NULL,"                      /* who waits (the account that asked) */
    "  category TEXT NOT NULL CHECK (category IN ('school', 'university', 'enterprise', 'resident', 'culturepreneur')),"
    "  status TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'accepted', 'expired', 'withdrawn')),"
    "  offered_at INTEGER NOT NULL DEFAULT 0,"
    "  offer_expires_at INTEGER NOT NULL DEFAULT 0,"
    "  booking_id INTEGER REFERENCES lab_bookings(id),"
    "  created_at INTEGER NOT NULL,"
    "  CHECK (ends_at > starts_at)"
    ");"
    "CREATE INDEX lab_waitlist_slot ON lab_waitlist(resource_id, starts_at, status);"
    /* A person's secret calendar feed address (a calendar application
     * sends no cookie): the SHA-256 of the token, never the token. */
    "CREATE TABLE lab_feed_tokens ("
    "  account TEXT PRIMARY KEY,"                   /* the account whose bookings the feed lists */
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    /* Owned by src/vouchers: a booking's charge to a lab_time voucher. */
    "CREATE TABLE voucher_lab_charges ("
    "  id INTEGER PRIMARY KEY,"
    "  voucher_id INTEGER NOT NULL REFERENCES vouchers(id),"
    "  booking_id INTEGER NOT NULL,"                /* lab_bookings (src/labs) */
    "  provider_id INTEGER NOT NULL,"               /* the lab's operator: the charge is payable to it */
    "  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),"
    "  currency TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('charged', 'refunded')),"
    "  idempotency_key TEXT NOT NULL UNIQUE,"
    "  charged_at INTEGER NOT NULL,"
    "  charged_by TEXT NOT NULL,"
    "  changed_at INTEGER NOT NULL,"
    "  changed_by TEXT NOT NULL,"
    "  note TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE UNIQUE INDEX voucher_lab_charges_booking ON voucher_lab_charges(booking_id) WHERE status = 'charged';"
    "CREATE INDEX voucher_lab_charges_voucher ON voucher_lab_charges(voucher_id);";

/* Version 19 (src/observatory; issue 16, national scale): an employment
 * import costs what it imports, not what is stored. employment_years holds
 * each area and year's row count, masked cells, sum of the known counts and
 * the source the rows came from (an import replaces whole years of an area,
 * so one source per area and year): the importer writes it with the rows,
 * the observatory lists areas and years and counts the rows of each source
 * from it instead of scanning employment. Its source column is named
 * `source`, not `source_id`, so that the census of rows per source (which
 * finds tables by that column) counts employment once. The index on
 * (area, year) gains line, so that an area-year is read in the file's
 * order without a sort. Indexes on
 * employment(source_id) and employment(occupation_id) keep the cascades of
 * a deleted source or occupation to the rows that name it; a deleted
 * occupation's rows leave employment_years and their source's count
 * through a trigger. */
static const char migration_employment_years[] =
    "DROP INDEX employment_area_year;"
    "CREATE INDEX employment_area_year ON employment(area, year, line);"
    "CREATE INDEX employment_source ON employment(source_id);"
    "CREATE INDEX employment_occupation ON employment(occupation_id) WHERE occupation_id IS NOT NULL;"
    "CREATE TABLE employment_years ("
    "  area TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  source INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  rows INTEGER NOT NULL CHECK (rows > 0),"
    "  masked INTEGER NOT NULL CHECK (masked >= 0),"
    "  employed_given REAL NOT NULL DEFAULT 0,"   /* sum of the known counts */
    "  PRIMARY KEY (area, year)"
    ");"
    "CREATE INDEX employment_years_source ON employment_years(source);"
    "INSERT INTO employment_years(area, year, source, rows, masked, employed_given) "
    "  SELECT area, year, max(source_id), count(*), sum(masked), coalesce(sum(employed), 0) "
    "  FROM employment GROUP BY area, year;"
    "CREATE TRIGGER employment_years_occupation_gone BEFORE DELETE ON occupations "
    "WHEN EXISTS (SELECT 1 FROM employment e WHERE e.occupation_id = OLD.id) BEGIN "
    /* the summaries whose rows all go, then those that keep some */
    "  DELETE FROM employment_years WHERE EXISTS (SELECT 1 FROM employment e WHERE e.occupation_id = OLD.id "
    "    AND e.area = employment_years.area AND e.year = employment_years.year) "
    "    AND rows <= (SELECT count(*) FROM employment e WHERE e.occupation_id = OLD.id "
    "      AND e.area = employment_years.area AND e.year = employment_years.year);"
    "  UPDATE employment_years SET "
    "    rows = rows - (SELECT count(*) FROM employment e WHERE e.occupation_id = OLD.id "
    "      AND e.area = employment_years.area AND e.year = employment_years.year), "
    "    masked = masked - (SELECT count(*) FROM employment e WHERE e.occupation_id = OLD.id "
    "      AND e.area = employment_years.area AND e.year = employment_years.year AND e.masked = 1), "
    "    employed_given = employed_given - (SELECT coalesce(sum(e.employed), 0) FROM employment e "
    "      WHERE e.occupation_id = OLD.id AND e.area = employment_years.area AND e.year = employment_years.year) "
    "  WHERE EXISTS (SELECT 1 FROM employment e WHERE e.occupation_id = OLD.id "
    "    AND e.area = employment_years.area AND e.year = employment_years.year) "
    "    AND rows > (SELECT count(*) FROM employment e WHERE e.occupation_id = OLD.id "
    "      AND e.area = employment_years.area AND e.year = employment_years.year);"
    "  UPDATE sources SET rows = rows - (SELECT count(*) FROM employment e WHERE e.occupation_id = OLD.id "
    "    AND e.source_id = sources.id) "
    "  WHERE id IN (SELECT e.source_id FROM employment e WHERE e.occupation_id = OLD.id);"
    "END;";

/* Version 20 (src/vouchers; the gap issue 15 left): lab charges are paid in
 * payment batches as course claims are. A lab charge (voucher_lab_charges)
 * becomes payable to the lab's operator once its booked slot has ended
 * (payable_from, the booking's end, given by src/labs when it charges; the
 * charges already made take their booking's end here); a payment batch
 * gathers it (batch_id) and its approval pays it (paid_at, ledger transfer
 * "pay" keyed "lab-charge:<id>:pay"). A batch counts its lab charges beside
 * its claims and may carry the idempotency key of the request that built it
 * (a retried build returns the same batch). */
static const char migration_lab_payments[] =
    "ALTER TABLE voucher_lab_charges ADD COLUMN payable_from INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE voucher_lab_charges ADD COLUMN batch_id INTEGER REFERENCES voucher_payment_batches(id);"
    "ALTER TABLE voucher_lab_charges ADD COLUMN paid_at INTEGER NOT NULL DEFAULT 0;"
    "UPDATE voucher_lab_charges SET payable_from = coalesce((SELECT b.ends_at FROM lab_bookings b "
    "  WHERE b.id = voucher_lab_charges.booking_id), 0);"
    "CREATE INDEX voucher_lab_charges_payable ON voucher_lab_charges(status, batch_id, payable_from);"
    "CREATE INDEX voucher_lab_charges_batch ON voucher_lab_charges(batch_id);"
    "ALTER TABLE voucher_payment_batches ADD COLUMN lab_charges INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE voucher_payment_batches ADD COLUMN idempotency_key TEXT;"
    "CREATE UNIQUE INDEX voucher_payment_batches_key ON voucher_payment_batches(idempotency_key) "
    "  WHERE idempotency_key IS NOT NULL;";

const char *const fow_schema_migrations[FOW_SCHEMA_VERSION] = {migration_1, migration_2, migration_3, migration_4,
                                                               migration_5, migration_6, migration_7,
                                                               migration_8, migration_9, migration_roles,
                                                               migration_11, migration_sex, migration_13,
                                                               migration_14, migration_15, migration_16,
                                                               migration_office, migration_labs,
                                                               migration_employment_years,
                                                               migration_lab_payments};
