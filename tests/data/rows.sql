-- Every row a document's ingest decides, ids replaced by what they point to
-- (sha256, names, sentence numbers), in a stable order: two databases that
-- print the same hold the same rows whatever their ids.
SELECT 'doc', sha256, path, title, published, site, byline, canonical, lang, type, charset, chars_in, chars_kept, blocks_kept, blocks_dropped, rules_version, text, block_site, block_hashes FROM documents ORDER BY sha256;
SELECT 'sent', d.sha256, s.seq, s.start, s.end, s.text FROM sentences s JOIN documents d ON d.id = s.document_id ORDER BY 2, 3;
SELECT 'fig', d.sha256, f.start, f.end, f.text, f.value, f.unit, f.of, f.approx, f.rule, s.seq FROM figures f JOIN documents d ON d.id = f.document_id LEFT JOIN sentences s ON s.id = f.sentence_id ORDER BY 2, 3, 4, 10;
SELECT 'date', d.sha256, f.start, f.end, f.text, f.date_start, f.date_end, f.granularity, f.relative, f.rule, s.seq FROM dates f JOIN documents d ON d.id = f.document_id LEFT JOIN sentences s ON s.id = f.sentence_id ORDER BY 2, 3, 4, 10;
SELECT 'pm', d.sha256, m.start, m.end, m.text, p.name, m.title, m.role, m.party, m.rule, s.seq FROM person_mentions m JOIN documents d ON d.id = m.document_id JOIN persons p ON p.id = m.person_id LEFT JOIN sentences s ON s.id = m.sentence_id ORDER BY 2, 3, 4, 6;
SELECT 'claim', d.sha256, c.start, c.end, c.text, c.indicator, c.actual_value, c.actual_unit, c.target_value, c.target_unit, c.target_derived, c.previous_value, c.previous_unit, c.gap_value, c.gap_unit, c.met, c.period_start, c.period_end, p.name, c.rule, c.change_value, c.change_unit, s.seq FROM claims c JOIN documents d ON d.id = c.document_id LEFT JOIN persons p ON p.id = c.speaker_id LEFT JOIN sentences s ON s.id = c.sentence_id ORDER BY 2, 3, 4, 6;
SELECT 'event', d.sha256, e.start, e.end, e.text, e.type, e.date_start, e.date_end, e.date_text, e.granularity, e.since, e.planned, e.actor, e.rule, e.subject, e.target, s.seq FROM events e JOIN documents d ON d.id = e.document_id LEFT JOIN sentences s ON s.id = e.sentence_id ORDER BY 2, 3, 4, 6;
SELECT 'person', name FROM persons ORDER BY name;
SELECT 'alias', p.name, a.alias FROM aliases a JOIN persons p ON p.id = a.person_id ORDER BY 2, 3;
SELECT 'block', site, hash, sample, documents FROM site_blocks ORDER BY site, hash;
SELECT 'fts', count(*) FROM documents_fts WHERE documents_fts MATCH 'council';
