-- Văn bản: the official documents the portal publishes, with their legal identity.
-- Dates are 'YYYY-MM-DD'. search_text is the number, kind, summary and issuer folded (lower
-- case, no marks, 'đ' as 'd'), written with each row, for the documents page's search.

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (length(kind) BETWEEN 1 AND 50),
    number        INTEGER NOT NULL CHECK (number > 0),
    number_year   INTEGER CHECK (number_year BETWEEN 1945 AND 2100),
    symbol        TEXT    NOT NULL CHECK (length(symbol) BETWEEN 1 AND 60),
    symbol_folded TEXT    NOT NULL,
    issued_on     TEXT    NOT NULL CHECK (issued_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    effective_on  TEXT,
    expires_on    TEXT,
    issuer        TEXT    NOT NULL CHECK (length(issuer) BETWEEN 1 AND 200),
    signer        TEXT    NOT NULL DEFAULT '',
    field         TEXT    NOT NULL DEFAULT '',
    summary       TEXT    NOT NULL CHECK (length(summary) BETWEEN 1 AND 2000),
    replaced_by   INTEGER REFERENCES documents (id) ON DELETE SET NULL,
    search_text   TEXT    NOT NULL,
    issued_year   INTEGER GENERATED ALWAYS AS (CAST(substr(issued_on, 1, 4) AS INTEGER)) VIRTUAL,
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
    updated_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
) STRICT;

-- The same kind, number and symbol from the same body in the same year is one document.
CREATE UNIQUE INDEX documents_identity
    ON documents (kind, number, symbol_folded, issuer, issued_year);
CREATE INDEX documents_newest ON documents (issued_on DESC, id DESC);

-- The two plans the sample post cites. Their full texts are attached by officials later.
INSERT INTO documents (kind, number, symbol, symbol_folded, issued_on, issuer, field, summary, search_text) VALUES
(
    'Kế hoạch', 181, 'KH-UBND', 'kh-ubnd', '2021-12-29',
    'Ủy ban nhân dân thành phố Hưng Yên', 'Cải cách hành chính',
    'Về việc nâng cao Chỉ số Hiệu quả quản trị và hành chính công (PAPI) thành phố Hưng Yên năm 2022',
    '181/kh-ubnd ke hoach ve viec nang cao chi so hieu qua quan tri va hanh chinh cong (papi) thanh pho hung yen nam 2022 uy ban nhan dan thanh pho hung yen'
), (
    'Kế hoạch', 19, 'KH-UBND', 'kh-ubnd', '2022-01-17',
    'Ủy ban nhân dân thành phố Hưng Yên', 'Cải cách hành chính',
    'Tuyên truyền nâng cao Chỉ số Hiệu quả quản trị và hành chính công (PAPI) thành phố Hưng Yên năm 2022',
    '19/kh-ubnd ke hoach tuyen truyen nang cao chi so hieu qua quan tri va hanh chinh cong (papi) thanh pho hung yen nam 2022 uy ban nhan dan thanh pho hung yen'
);
