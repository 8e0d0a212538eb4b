import GRDB

/// The versioned schema. Each migration is applied once, in order, and is tested from the
/// version before it. Never edit a shipped migration: add the next one.
public enum Schema {
    public static let versions = [
        "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22",
    ]

    public static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1", migrate: v1)
        m.registerMigration("v2", migrate: v2)
        m.registerMigration("v3", migrate: v3)
        m.registerMigration("v4", migrate: v4)
        m.registerMigration("v5", migrate: v5)
        m.registerMigration("v6", migrate: v6)
        m.registerMigration("v7", migrate: v7)
        m.registerMigration("v8", migrate: v8)
        m.registerMigration("v9", migrate: v9)
        m.registerMigration("v10", migrate: v10)
        m.registerMigration("v11", migrate: v11)
        m.registerMigration("v12", migrate: v12)
        m.registerMigration("v13", migrate: v13)
        m.registerMigration("v14", migrate: v14)
        m.registerMigration("v15", migrate: v15)
        m.registerMigration("v16", migrate: v16)
        m.registerMigration("v17", migrate: v17)
        m.registerMigration("v18", migrate: v18)
        m.registerMigration("v19", migrate: v19)
        m.registerMigration("v20", migrate: v20)
        m.registerMigration("v21", migrate: v21)
        m.registerMigration("v22", migrate: v22)
        return m
    }

    /// v1: everything the workspace holds.
    static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE drafts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    title TEXT NOT NULL DEFAULT '',
                    description TEXT NOT NULL DEFAULT '',
                    tags TEXT NOT NULL DEFAULT '[]',
                    materials TEXT NOT NULL DEFAULT '[]',
                    styles TEXT NOT NULL DEFAULT '[]',
                    price_cents INTEGER,
                    currency TEXT NOT NULL DEFAULT 'USD',
                    quantity INTEGER,
                    taxonomy_id INTEGER,
                    who_made TEXT,
                    when_made TEXT,
                    shipping_profile_id INTEGER,
                    sku TEXT,
                    language TEXT NOT NULL DEFAULT 'en',
                    niche TEXT,
                    keyword TEXT,
                    product_type TEXT,
                    step INTEGER NOT NULL DEFAULT 0,
                    state TEXT NOT NULL DEFAULT 'draft',
                    is_demo INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX drafts_updated ON drafts(updated_at DESC);

                CREATE TABLE draft_revisions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
                    snapshot TEXT NOT NULL,
                    note TEXT,
                    created_at REAL NOT NULL
                );
                CREATE INDEX draft_revisions_draft ON draft_revisions(draft_id, created_at DESC);

                CREATE TABLE listings (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    draft_id INTEGER REFERENCES drafts(id) ON DELETE SET NULL,
                    provider TEXT NOT NULL,
                    provider_listing_id TEXT,
                    shop_id TEXT,
                    owner TEXT,
                    title TEXT NOT NULL,
                    state TEXT NOT NULL,
                    price_cents INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    quantity INTEGER NOT NULL DEFAULT 0,
                    views INTEGER NOT NULL DEFAULT 0,
                    favorites INTEGER NOT NULL DEFAULT 0,
                    is_demo INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE UNIQUE INDEX listings_provider_id ON listings(provider, provider_listing_id);
                CREATE INDEX listings_updated ON listings(updated_at DESC, id DESC);
                CREATE INDEX listings_title ON listings(title COLLATE NOCASE, id);
                CREATE INDEX listings_price ON listings(price_cents, id);
                CREATE INDEX listings_views ON listings(views DESC, id);

                CREATE TABLE keywords (
                    id INTEGER PRIMARY KEY,
                    keyword TEXT NOT NULL,
                    region TEXT NOT NULL,
                    is_demo INTEGER NOT NULL DEFAULT 0,
                    UNIQUE(keyword, region)
                );

                -- One observation per keyword, day and source; clustered by keyword then day so a
                -- keyword's history is one range and bulk loads append. keyword_id is keywords.id.
                CREATE TABLE trend_signals (
                    keyword_id INTEGER NOT NULL,
                    day INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    volume REAL NOT NULL,
                    competition REAL,
                    method TEXT NOT NULL,
                    fetched_at REAL NOT NULL,
                    confidence REAL NOT NULL,
                    is_estimate INTEGER NOT NULL,
                    is_demo INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (keyword_id, day, source)
                ) WITHOUT ROWID;

                CREATE TABLE niches (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE,
                    description TEXT NOT NULL DEFAULT '',
                    keywords TEXT NOT NULL DEFAULT '[]',
                    saved INTEGER NOT NULL DEFAULT 0,
                    excluded INTEGER NOT NULL DEFAULT 0,
                    is_demo INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL
                );

                CREATE TABLE seasonal_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_key TEXT NOT NULL,
                    year INTEGER NOT NULL,
                    region TEXT NOT NULL,
                    note TEXT,
                    saved_at REAL NOT NULL,
                    UNIQUE(event_key, year, region)
                );

                CREATE TABLE experiments (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'draft',
                    draft_id INTEGER REFERENCES drafts(id) ON DELETE SET NULL,
                    started_at REAL,
                    ended_at REAL,
                    is_demo INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL
                );
                CREATE TABLE experiment_variants (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
                    label TEXT NOT NULL,
                    payload TEXT NOT NULL DEFAULT '{}',
                    views INTEGER NOT NULL DEFAULT 0,
                    clicks INTEGER NOT NULL DEFAULT 0,
                    orders INTEGER NOT NULL DEFAULT 0
                );

                CREATE TABLE notifications (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL DEFAULT '',
                    subject TEXT,
                    dedupe_key TEXT UNIQUE,
                    created_at REAL NOT NULL,
                    read_at REAL,
                    is_demo INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX notifications_created ON notifications(created_at DESC);

                CREATE TABLE preferences (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );

                CREATE TABLE usage_ledger (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    resource TEXT NOT NULL,
                    amount INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    subject TEXT,
                    at REAL NOT NULL
                );
                CREATE INDEX usage_ledger_resource_at ON usage_ledger(resource, at);

                CREATE TABLE connections (
                    provider TEXT PRIMARY KEY,
                    state TEXT NOT NULL,
                    account_id TEXT,
                    account_name TEXT,
                    scopes TEXT,
                    expires_at REAL,
                    connected_at REAL,
                    last_error TEXT
                );

                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    provider TEXT NOT NULL,
                    operation TEXT NOT NULL,
                    entity_id INTEGER,
                    payload TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    state TEXT NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'in_flight', 'done', 'failed', 'cancelled')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL NOT NULL,
                    last_error TEXT,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX outbox_due ON outbox(state, provider, next_attempt_at);

                CREATE TABLE sync_cursors (
                    provider TEXT NOT NULL,
                    resource TEXT NOT NULL,
                    cursor TEXT,
                    updated_at REAL NOT NULL,
                    PRIMARY KEY(provider, resource)
                );
                """)
    }

    /// v2: a precomputed summary per keyword and window, so the dashboard and the trends table
    /// read a handful of indexed rows instead of aggregating millions of signals. Built from
    /// the signals already stored.
    static func v2(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE keyword_summary (
                    window INTEGER NOT NULL,
                    keyword TEXT NOT NULL,
                    region TEXT NOT NULL,
                    volume REAL NOT NULL,
                    previous_volume REAL NOT NULL,
                    growth REAL,
                    series TEXT NOT NULL,
                    is_demo INTEGER NOT NULL,
                    as_of INTEGER NOT NULL,
                    PRIMARY KEY(window, keyword, region)
                );
                CREATE INDEX keyword_summary_growth ON keyword_summary(window, region, growth DESC);
                CREATE INDEX keyword_summary_volume ON keyword_summary(window, region, volume DESC);
                """)
        try TrendSummary.rebuild(db)
    }

    /// v3: the composer's remaining fields (tone, audience, brand rules, the keyword set,
    /// occasion, holiday, recipient) and the index for the drafts list's title order.
    static func v3(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE drafts ADD COLUMN tone TEXT NOT NULL DEFAULT 'friendly';
                ALTER TABLE drafts ADD COLUMN audience TEXT NOT NULL DEFAULT '';
                ALTER TABLE drafts ADD COLUMN brand_rules TEXT NOT NULL DEFAULT '';
                ALTER TABLE drafts ADD COLUMN keywords TEXT NOT NULL DEFAULT '[]';
                ALTER TABLE drafts ADD COLUMN occasion TEXT NOT NULL DEFAULT '';
                ALTER TABLE drafts ADD COLUMN holiday TEXT NOT NULL DEFAULT '';
                ALTER TABLE drafts ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
                CREATE INDEX drafts_title ON drafts(title COLLATE NOCASE, id);
                """)
    }

    /// v4: the dashboard's "as of" (the newest summary day of a window) read from an index
    /// instead of a scan of the window's rows (6 ms on a million signals, on the start-up path).
    static func v4(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX keyword_summary_as_of ON keyword_summary(window, as_of)")
    }

    /// v5: what a pull brings: the seller taxonomy and the shop's shipping profiles (the
    /// composer's lists), and per listing when the provider last changed it and, when that
    /// change met a local edit not pushed yet, the provider's version (a conflict to settle).
    static func v5(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE taxonomy_nodes (
                    provider TEXT NOT NULL,
                    id INTEGER NOT NULL,
                    parent_id INTEGER,
                    name TEXT NOT NULL,
                    path TEXT NOT NULL,
                    is_leaf INTEGER NOT NULL,
                    PRIMARY KEY(provider, id)
                );
                CREATE INDEX taxonomy_nodes_path ON taxonomy_nodes(provider, path COLLATE NOCASE);

                CREATE TABLE shipping_profiles (
                    provider TEXT NOT NULL,
                    id INTEGER NOT NULL,
                    shop_id TEXT NOT NULL,
                    title TEXT NOT NULL,
                    updated_at REAL NOT NULL,
                    PRIMARY KEY(provider, id)
                );

                ALTER TABLE listings ADD COLUMN remote_updated_at REAL;
                ALTER TABLE listings ADD COLUMN conflict TEXT;
                """)
    }

    /// v6: a draft's photos (file paths, in order, as a JSON array).
    static func v6(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE drafts ADD COLUMN images TEXT NOT NULL DEFAULT '[]'")
    }

    /// v7: the competition seen for a keyword (its newest count) kept in the summary, for the
    /// niches' scores.
    static func v7(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE keyword_summary ADD COLUMN competition REAL")
        try TrendSummary.rebuild(db)
    }

    /// v8: search and its memory — the product category of each keyword in the summary (the
    /// Trends table's category filter), keywords saved or watched, saved searches and the
    /// recent queries.
    static func v8(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE keyword_summary ADD COLUMN category TEXT NOT NULL DEFAULT 'other';
                CREATE INDEX keyword_summary_category ON keyword_summary(window, region, category, growth DESC);

                CREATE TABLE keyword_marks (
                    keyword TEXT NOT NULL,
                    region TEXT NOT NULL,
                    saved INTEGER NOT NULL DEFAULT 0,
                    watched INTEGER NOT NULL DEFAULT 0,
                    marked_at REAL NOT NULL,
                    PRIMARY KEY(keyword, region)
                );

                CREATE TABLE saved_searches (
                    query TEXT NOT NULL,
                    kind TEXT NOT NULL DEFAULT '',
                    saved_at REAL NOT NULL,
                    PRIMARY KEY(query, kind)
                );

                CREATE TABLE recent_searches (
                    query TEXT PRIMARY KEY,
                    at REAL NOT NULL
                );
                """)
        try TrendSummary.rebuild(db)
    }

    /// v9: brand profiles (one active), and the scheduler's record of each job's last run.
    static func v9(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE brand_profiles (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    tone TEXT NOT NULL DEFAULT 'friendly',
                    audience TEXT NOT NULL DEFAULT '',
                    banned_topics TEXT NOT NULL DEFAULT '[]',
                    default_shop TEXT NOT NULL DEFAULT '',
                    handles TEXT NOT NULL DEFAULT '[]',
                    active INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL
                );
                CREATE TABLE scheduler_runs (
                    job TEXT PRIMARY KEY,
                    last_run REAL NOT NULL
                );
                """)
    }

    /// v10: each keyword's opportunity in the summary, and indexes to sort the Trends table by
    /// it and by competition.
    static func v10(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE keyword_summary ADD COLUMN opportunity INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX keyword_summary_opportunity ON keyword_summary(window, region, opportunity DESC);
                CREATE INDEX keyword_summary_competition ON keyword_summary(window, region, competition);
                """)
        try TrendSummary.rebuild(db)
    }

    /// v11: a row version on drafts (a save from an older version is refused, not applied over
    /// a newer one); and the keyword summary rebuilt once, repairing one left stale by a kill
    /// between an import's signals and its summary (they now commit together), or holding
    /// figures from numbers that were never checked.
    static func v11(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE drafts ADD COLUMN version INTEGER NOT NULL DEFAULT 0")
        try TrendSummary.rebuild(db)
    }

    /// A listing's fields as the shop last had them (`base`, a draft's JSON: what a merge starts
    /// from and an update is compared with), everything the provider returned (`remote`), and
    /// how many photos the shop has of it (a draft goes active only with one).
    static func v12(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE listings ADD COLUMN base TEXT")
        try db.execute(sql: "ALTER TABLE listings ADD COLUMN remote TEXT")
        try db.execute(sql: "ALTER TABLE listings ADD COLUMN image_count INTEGER NOT NULL DEFAULT 0")
        try db.execute(sql: "ALTER TABLE drafts ADD COLUMN shop_section_id INTEGER")
        try db.execute(sql: "ALTER TABLE drafts ADD COLUMN return_policy_id INTEGER")
        // The shop's sections and return policies, as the last pull read them (the composer's pickers).
        try db.execute(
            sql: """
                CREATE TABLE shop_choices (
                    provider TEXT NOT NULL, kind TEXT NOT NULL, id INTEGER NOT NULL, title TEXT NOT NULL,
                    PRIMARY KEY (provider, kind, id)
                )
                """)
        // Which of a draft's photo files became which image of its listing (a photo taken off
        // the draft is deleted there, and only those this store put there).
        try db.execute(
            sql: """
                CREATE TABLE listing_photos (
                    draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
                    provider TEXT NOT NULL,
                    path TEXT NOT NULL,
                    image_id INTEGER NOT NULL,
                    PRIMARY KEY (draft_id, provider, path)
                )
                """)
    }

    /// A listing's queue items and its draft's listing found by index, not by a scan: a bulk
    /// edit of thousands of listings asks both once per listing. A draft's variations and its
    /// photos' alt texts (JSON), and the properties of the categories the drafts use
    /// (getPropertiesByTaxonomyId).
    static func v13(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE drafts ADD COLUMN variations TEXT")
        try db.execute(sql: "ALTER TABLE drafts ADD COLUMN image_alts TEXT")
        try db.execute(
            sql: """
                CREATE TABLE taxonomy_properties (
                    provider TEXT NOT NULL, taxonomy_id INTEGER NOT NULL, json TEXT NOT NULL, fetched_at REAL NOT NULL,
                    PRIMARY KEY (provider, taxonomy_id)
                )
                """)
        try db.execute(sql: "CREATE INDEX outbox_entity ON outbox(entity_id, provider)")
        try db.execute(sql: "CREATE INDEX listings_draft ON listings(draft_id)")
    }

    /// A draft's Printify product (JSON), the Etsy listing a Printify product was published as
    /// (`external_id`: that listing is Printify's), and what Printify charges for each variant
    /// of a blueprint by a provider, learned from the products it answers with.
    static func v14(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE drafts ADD COLUMN product TEXT")
        try db.execute(sql: "ALTER TABLE listings ADD COLUMN external_id TEXT")
        try db.execute(
            sql: """
                CREATE TABLE printify_costs (
                    blueprint_id INTEGER NOT NULL, provider_id INTEGER NOT NULL, variant_id INTEGER NOT NULL,
                    cost_cents INTEGER NOT NULL, seen_at REAL NOT NULL,
                    PRIMARY KEY (blueprint_id, provider_id, variant_id)
                )
                """)
    }

    /// The addresses of a Printify product's mockups (JSON), as its last answer gave them.
    static func v15(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE listings ADD COLUMN mockups TEXT")
    }

    /// v16: Printify's orders and what it charges for each line.
    static func v16(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE printify_orders (
                    id TEXT PRIMARY KEY, shop_order_id TEXT, status TEXT NOT NULL, created_at REAL NOT NULL,
                    production_cents INTEGER NOT NULL, shipping_cents INTEGER NOT NULL, tax_cents INTEGER NOT NULL,
                    pulled_at REAL NOT NULL
                );
                CREATE INDEX printify_orders_created ON printify_orders (created_at);
                CREATE TABLE printify_order_lines (
                    order_id TEXT NOT NULL REFERENCES printify_orders (id) ON DELETE CASCADE, line INTEGER NOT NULL,
                    product_id TEXT NOT NULL, variant_id INTEGER NOT NULL, quantity INTEGER NOT NULL,
                    cost_cents INTEGER NOT NULL, shipping_cents INTEGER NOT NULL, status TEXT NOT NULL, title TEXT NOT NULL,
                    PRIMARY KEY (order_id, line)
                );
                """)
    }

    /// v17: the shop's sales (Etsy receipts and their transactions) and its listings' views and
    /// favourites by day.
    static func v17(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE etsy_receipts (
                    receipt_id INTEGER PRIMARY KEY, status TEXT NOT NULL, counts INTEGER NOT NULL,
                    created_at REAL NOT NULL, updated_at REAL NOT NULL, currency TEXT NOT NULL,
                    grandtotal_cents INTEGER NOT NULL, tax_cents INTEGER NOT NULL, shipping_cents INTEGER NOT NULL,
                    refund_cents INTEGER NOT NULL, items_cents INTEGER NOT NULL, revenue_cents INTEGER NOT NULL,
                    units INTEGER NOT NULL, pulled_at REAL NOT NULL
                );
                CREATE INDEX etsy_receipts_created ON etsy_receipts (created_at);
                CREATE TABLE etsy_transactions (
                    transaction_id INTEGER PRIMARY KEY,
                    receipt_id INTEGER NOT NULL REFERENCES etsy_receipts (receipt_id) ON DELETE CASCADE,
                    listing_id TEXT, title TEXT NOT NULL, quantity INTEGER NOT NULL,
                    price_cents INTEGER NOT NULL, shipping_cents INTEGER NOT NULL
                );
                CREATE INDEX etsy_transactions_receipt ON etsy_transactions (receipt_id);
                CREATE TABLE listing_stats (
                    listing_id TEXT NOT NULL, day TEXT NOT NULL, views INTEGER NOT NULL, favorites INTEGER NOT NULL,
                    PRIMARY KEY (listing_id, day)
                ) WITHOUT ROWID;
                """)
    }

    /// v18: A/B experiments on live listings and the switches between their variants (the
    /// tables v1 made for experiments were never written to: they go).
    static func v18(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP TABLE experiment_variants;
                DROP TABLE experiments;
                CREATE TABLE experiments (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    listing_id INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
                    kind TEXT NOT NULL, status TEXT NOT NULL, variants TEXT NOT NULL, original TEXT NOT NULL,
                    starts_at REAL NOT NULL, ends_at REAL NOT NULL, slice_seconds REAL NOT NULL,
                    minimum_views INTEGER, winner INTEGER, created_at REAL NOT NULL, updated_at REAL NOT NULL
                );
                CREATE UNIQUE INDEX experiments_one_open ON experiments (listing_id) WHERE status != 'ended';
                CREATE TABLE experiment_switches (
                    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
                    slice INTEGER NOT NULL, variant INTEGER NOT NULL, outbox_key TEXT, switched_at REAL NOT NULL,
                    PRIMARY KEY (experiment_id, slice)
                );
                """)
    }

    /// v19: the entries of the shop's Etsy payment account ledger (the fees Etsy charged), each
    /// with the kind of fee it is, when it is one.
    static func v19(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE etsy_ledger (
                    entry_id INTEGER PRIMARY KEY, created_at REAL NOT NULL, amount_cents INTEGER NOT NULL, currency TEXT NOT NULL,
                    ledger_type TEXT NOT NULL, fee TEXT, description TEXT NOT NULL, reference_type TEXT NOT NULL,
                    reference_id TEXT NOT NULL, pulled_at REAL NOT NULL
                );
                CREATE INDEX etsy_ledger_created ON etsy_ledger (created_at);
                """)
    }

    /// v20: each day's views and favourites kept with the difference from the count before it
    /// (NULL for a listing's first count), so that a period's figures are sums over an index by
    /// day rather than a window over every count, and the shop's total of each day
    /// (`stats_days`); sales and counts marked demo.
    static func v20(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE etsy_receipts ADD COLUMN is_demo INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE listing_stats ADD COLUMN is_demo INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE listing_stats ADD COLUMN views_delta INTEGER;
                ALTER TABLE listing_stats ADD COLUMN favorites_delta INTEGER;
                UPDATE listing_stats SET (views_delta, favorites_delta) = (
                    SELECT MAX(0, listing_stats.views - p.views), MAX(0, listing_stats.favorites - p.favorites) FROM listing_stats p
                    WHERE p.listing_id = listing_stats.listing_id
                        AND p.day = (SELECT MAX(q.day) FROM listing_stats q WHERE q.listing_id = listing_stats.listing_id AND q.day < listing_stats.day));
                CREATE INDEX listing_stats_day ON listing_stats (day, listing_id, views_delta, favorites_delta);
                CREATE TABLE stats_days (day TEXT PRIMARY KEY, views INTEGER NOT NULL, favorites INTEGER NOT NULL) WITHOUT ROWID;
                """)
        try Store.sumStatsDays(db)
    }

    /// v21: social posts kept with the listing they were written from, each save a new
    /// version (the post as JSON), the newest the current one.
    static func v21(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE social_posts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
                    platform TEXT NOT NULL,
                    post TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX social_posts_draft ON social_posts (draft_id, platform, id);
                """)
    }

    /// v22: every image the seller has (designs, listing photos, mockups, post pictures, files
    /// from added folders): what its file is, read once per change of the file (`stamp`), and
    /// the seller's rating, flag, alt text and tags.
    static func v22(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE images (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    path TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL,
                    draft_id INTEGER REFERENCES drafts(id) ON DELETE SET NULL,
                    format TEXT, bytes INTEGER, width INTEGER, height INTEGER, has_alpha INTEGER, hash INTEGER, error TEXT,
                    stamp TEXT,
                    need_width INTEGER, need_height INTEGER,
                    alt_text TEXT NOT NULL DEFAULT '',
                    rating INTEGER NOT NULL DEFAULT 0,
                    flag TEXT,
                    is_demo INTEGER NOT NULL DEFAULT 0,
                    added_at REAL NOT NULL
                );
                CREATE INDEX images_unread ON images (stamp) WHERE stamp IS NULL;
                CREATE TABLE image_tags (
                    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
                    tag TEXT NOT NULL,
                    PRIMARY KEY (image_id, tag)
                ) WITHOUT ROWID;
                CREATE INDEX image_tags_tag ON image_tags (tag);
                """)
    }
}
