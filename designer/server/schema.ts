/**
 * The studio's schema as versioned steps of plain SQL. Step N brings a database from version
 * N − 1 to N; `PRAGMA user_version` records where a file stands. Never edit a shipped step: add one.
 * Times are milliseconds since 1970.
 */
export const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE enterprises (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT,
        role TEXT NOT NULL CHECK (role IN ('admin', 'contractor', 'enterprise', 'field-engineer')),
        enterprise_id INTEGER REFERENCES enterprises (id),
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        -- An enterprise user belongs to exactly one enterprise; nobody else belongs to one.
        CHECK ((role = 'enterprise') = (enterprise_id IS NOT NULL))
      );

      -- Only the SHA-256 of a session token is kept: a copy of the file opens no session.
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        ip TEXT
      ) WITHOUT ROWID;
      CREATE INDEX sessions_user ON sessions (user_id);

      CREATE TABLE template_versions (
        template_id TEXT NOT NULL,
        version TEXT NOT NULL,
        major INTEGER NOT NULL,
        minor INTEGER NOT NULL,
        patch INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
        industry TEXT NOT NULL,
        -- JSON array: the template's demands and those of its scenarios.
        demands TEXT NOT NULL,
        title_zh TEXT NOT NULL,
        title_en TEXT NOT NULL,
        -- Lower-cased words a text search looks in.
        search_text TEXT NOT NULL,
        content TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        readme TEXT,
        source TEXT NOT NULL CHECK (source IN ('shipped', 'upload')),
        created_by INTEGER REFERENCES users (id),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        published_by INTEGER REFERENCES users (id),
        published_at INTEGER,
        PRIMARY KEY (template_id, version)
      );
      CREATE INDEX template_versions_industry ON template_versions (industry);

      CREATE TABLE instances (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        -- NULL for a sample firm's instance, which any enterprise may copy.
        enterprise_id INTEGER REFERENCES enterprises (id),
        sample INTEGER NOT NULL DEFAULT 0,
        template_id TEXT NOT NULL,
        template_version TEXT NOT NULL,
        doc TEXT NOT NULL,
        doc_hash TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1,
        copied_from TEXT REFERENCES instances (id),
        created_by INTEGER REFERENCES users (id),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        FOREIGN KEY (template_id, template_version) REFERENCES template_versions (template_id, version),
        CHECK (sample IN (0, 1) AND (sample = 1 OR enterprise_id IS NOT NULL))
      );
      CREATE INDEX instances_enterprise ON instances (enterprise_id, created_at);
      CREATE INDEX instances_template ON instances (template_id, template_version);

      -- A site runtime the studio deploys to. The deployed_* and runtime_* columns are the fleet
      -- roll-up, kept here so the fleet page is one indexed read, never a call to a runtime.
      CREATE TABLE sites (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        url TEXT NOT NULL,
        token_sealed TEXT NOT NULL,
        enterprise_id INTEGER REFERENCES enterprises (id),
        instance_id TEXT UNIQUE REFERENCES instances (id),
        runtime_site TEXT,
        last_sequence INTEGER NOT NULL DEFAULT 0,
        registered_via TEXT NOT NULL CHECK (registered_via IN ('register', 'pairing')),
        created_by INTEGER REFERENCES users (id),
        created_at INTEGER NOT NULL,
        deployed_id INTEGER,
        deployed_bundle_hash TEXT,
        deployed_instance_hash TEXT,
        deployed_template TEXT,
        deployed_sequence INTEGER,
        deployed_at INTEGER,
        last_deploy_at INTEGER,
        last_deploy_status TEXT,
        last_deploy_error TEXT,
        health TEXT NOT NULL DEFAULT 'unknown',
        health_checked_at INTEGER,
        health_error TEXT,
        -- '' when the runtime answered that nothing runs.
        runtime_hash TEXT,
        runtime_sequence INTEGER,
        runtime_last_sequence INTEGER,
        runtime_status TEXT
      );
      CREATE INDEX sites_name ON sites (name, id);
      CREATE INDEX sites_enterprise ON sites (enterprise_id, name, id);
      CREATE INDEX sites_health_due ON sites (health_checked_at);

      CREATE TABLE site_engineers (
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        site_id TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, site_id)
      ) WITHOUT ROWID;
      CREATE INDEX site_engineers_site ON site_engineers (site_id);

      CREATE TABLE pairing_codes (
        code_hash TEXT PRIMARY KEY,
        name TEXT,
        enterprise_id INTEGER REFERENCES enterprises (id),
        created_by INTEGER NOT NULL REFERENCES users (id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        claimed_at INTEGER,
        site_id TEXT REFERENCES sites (id)
      ) WITHOUT ROWID;

      CREATE TABLE deployments (
        id INTEGER PRIMARY KEY,
        site_id TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
        instance_id TEXT REFERENCES instances (id),
        kind TEXT NOT NULL CHECK (kind IN ('online', 'offline', 'rollback')),
        sequence INTEGER,
        bundle_hash TEXT,
        instance_hash TEXT,
        template TEXT,
        status TEXT NOT NULL CHECK (status IN ('sending', 'deployed', 'failed', 'exported', 'rolled-back')),
        error TEXT,
        user_id INTEGER REFERENCES users (id),
        at INTEGER NOT NULL,
        finished_at INTEGER
      );
      CREATE INDEX deployments_site ON deployments (site_id, id);
      CREATE INDEX deployments_hash ON deployments (bundle_hash);

      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        user_id INTEGER,
        username TEXT,
        action TEXT NOT NULL,
        target TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
        ip TEXT,
        detail TEXT
      );
      CREATE INDEX audit_at ON audit (at);
      CREATE INDEX audit_action ON audit (action, at);
      CREATE INDEX audit_user ON audit (user_id, at);
    `,
  },
  {
    version: 2,
    // Heartbeats: a paired runtime reports itself; its token is kept as a hash, like a password.
    sql: `
      ALTER TABLE sites ADD COLUMN heartbeat_token_hash TEXT;
      ALTER TABLE sites ADD COLUMN heartbeat_at INTEGER;
      ALTER TABLE sites ADD COLUMN heartbeat_report TEXT;
    `,
  },
];
