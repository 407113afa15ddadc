"""The schema each version of the migrations makes (generated: do not edit).

Regenerate after adding a migration: uv run python -m db.schema.generate
"""

from typing import Any

EXPECTED: dict[int, dict[str, dict[str, Any]]] = (
{1: {'indexes': {'ix_agenda_meeting': 'CREATE INDEX ix_agenda_meeting ON agenda_item (meeting_id, position)',
                 'ix_attachment_source': 'CREATE INDEX ix_attachment_source ON attachment (source_id)',
                 'ix_node_plan_parent': 'CREATE INDEX ix_node_plan_parent ON node (plan_id, parent_id, '
                                        'position)',
                 'ix_node_ref': 'CREATE INDEX ix_node_ref ON node (plan_id, ref)',
                 'ix_note_node': 'CREATE INDEX ix_note_node ON note (node_id, kind, position)',
                 'ix_source_link_node': 'CREATE INDEX ix_source_link_node ON source_link (node_id)',
                 'ix_status_change_node': 'CREATE INDEX ix_status_change_node ON status_change (node_id, '
                                          'changed_at)'},
     'tables': {'agenda_item': (('meeting_id', 'VARCHAR(36)', 1, 0),
                                ('node_id', 'VARCHAR(36)', 1, 0),
                                ('position', 'INTEGER', 1, 0),
                                ('points', 'TEXT', 1, 0),
                                ('id', 'VARCHAR(36)', 1, 1),
                                ('updated_at', 'VARCHAR(32)', 1, 0),
                                ('updated_by', 'VARCHAR(200)', 1, 0),
                                ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'alembic_version': (('version_num', 'VARCHAR(32)', 1, 1),),
                'attachment': (('source_id', 'VARCHAR(36)', 1, 0),
                               ('filename', 'TEXT', 1, 0),
                               ('media_type', 'VARCHAR(200)', 1, 0),
                               ('sha256', 'VARCHAR(64)', 1, 0),
                               ('added_at', 'VARCHAR(32)', 1, 0),
                               ('id', 'VARCHAR(36)', 1, 1),
                               ('updated_at', 'VARCHAR(32)', 1, 0),
                               ('updated_by', 'VARCHAR(200)', 1, 0),
                               ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'blob': (('sha256', 'VARCHAR(64)', 1, 1), ('size', 'INTEGER', 1, 0), ('data', 'BLOB', 1, 0)),
                'meeting': (('title', 'TEXT', 1, 0),
                            ('date', 'VARCHAR(10)', 0, 0),
                            ('place', 'TEXT', 1, 0),
                            ('participants', 'TEXT', 1, 0),
                            ('classification', 'TEXT', 1, 0),
                            ('purpose', 'TEXT', 1, 0),
                            ('id', 'VARCHAR(36)', 1, 1),
                            ('updated_at', 'VARCHAR(32)', 1, 0),
                            ('updated_by', 'VARCHAR(200)', 1, 0),
                            ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'meta': (('key', 'VARCHAR(100)', 1, 1), ('value', 'TEXT', 1, 0)),
                'node': (('plan_id', 'VARCHAR(36)', 1, 0),
                         ('parent_id', 'VARCHAR(36)', 0, 0),
                         ('kind', 'VARCHAR(20)', 1, 0),
                         ('ref', 'VARCHAR(40)', 1, 0),
                         ('position', 'INTEGER', 1, 0),
                         ('title', 'TEXT', 1, 0),
                         ('text', 'TEXT', 1, 0),
                         ('status', 'VARCHAR(20)', 0, 0),
                         ('lead_office', 'TEXT', 1, 0),
                         ('status_changed_at', 'VARCHAR(32)', 0, 0),
                         ('status_changed_by', 'VARCHAR(200)', 0, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'note': (('node_id', 'VARCHAR(36)', 1, 0),
                         ('kind', 'VARCHAR(20)', 1, 0),
                         ('body', 'TEXT', 1, 0),
                         ('author', 'VARCHAR(200)', 1, 0),
                         ('position', 'INTEGER', 1, 0),
                         ('created_at', 'VARCHAR(32)', 1, 0),
                         ('conflict_of', 'VARCHAR(36)', 0, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'plan': (('title', 'TEXT', 1, 0),
                         ('parties', 'TEXT', 1, 0),
                         ('period', 'VARCHAR(40)', 0, 0),
                         ('adopted_on', 'VARCHAR(10)', 0, 0),
                         ('preamble', 'TEXT', 1, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'search_index': (('body', '', 0, 0), ('kind', '', 0, 0), ('row_id', '', 0, 0)),
                'search_index_config': (('k', '', 1, 1), ('v', '', 0, 0)),
                'search_index_content': (('id', 'INTEGER', 0, 1),
                                         ('c0', '', 0, 0),
                                         ('c1', '', 0, 0),
                                         ('c2', '', 0, 0)),
                'search_index_data': (('id', 'INTEGER', 0, 1), ('block', 'BLOB', 0, 0)),
                'search_index_docsize': (('id', 'INTEGER', 0, 1), ('sz', 'BLOB', 0, 0)),
                'search_index_idx': (('segid', '', 1, 1), ('term', '', 1, 2), ('pgno', '', 0, 0)),
                'source': (('title', 'TEXT', 1, 0),
                           ('outlet', 'TEXT', 1, 0),
                           ('url', 'TEXT', 1, 0),
                           ('published', 'VARCHAR(10)', 0, 0),
                           ('excerpt', 'TEXT', 1, 0),
                           ('id', 'VARCHAR(36)', 1, 1),
                           ('updated_at', 'VARCHAR(32)', 1, 0),
                           ('updated_by', 'VARCHAR(200)', 1, 0),
                           ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'source_link': (('source_id', 'VARCHAR(36)', 1, 0),
                                ('node_id', 'VARCHAR(36)', 1, 0),
                                ('quote', 'TEXT', 1, 0),
                                ('id', 'VARCHAR(36)', 1, 1),
                                ('updated_at', 'VARCHAR(32)', 1, 0),
                                ('updated_by', 'VARCHAR(200)', 1, 0),
                                ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'status_change': (('id', 'VARCHAR(36)', 1, 1),
                                  ('node_id', 'VARCHAR(36)', 1, 0),
                                  ('from_status', 'VARCHAR(20)', 0, 0),
                                  ('to_status', 'VARCHAR(20)', 1, 0),
                                  ('comment', 'TEXT', 1, 0),
                                  ('changed_at', 'VARCHAR(32)', 1, 0),
                                  ('changed_by', 'VARCHAR(200)', 1, 0))},
     'triggers': {},
     'views': {}},
 2: {'indexes': {'ix_agenda_meeting': 'CREATE INDEX ix_agenda_meeting ON agenda_item (meeting_id, position)',
                 'ix_attachment_source': 'CREATE INDEX ix_attachment_source ON attachment (source_id)',
                 'ix_node_plan_parent': 'CREATE INDEX ix_node_plan_parent ON node (plan_id, parent_id, '
                                        'position)',
                 'ix_node_ref': 'CREATE INDEX ix_node_ref ON node (plan_id, ref)',
                 'ix_note_node': 'CREATE INDEX ix_note_node ON note (node_id, kind, position)',
                 'ix_source_link_node': 'CREATE INDEX ix_source_link_node ON source_link (node_id)',
                 'ix_status_change_node': 'CREATE INDEX ix_status_change_node ON status_change (node_id, '
                                          'changed_at)'},
     'tables': {'agenda_item': (('meeting_id', 'VARCHAR(36)', 1, 0),
                                ('node_id', 'VARCHAR(36)', 1, 0),
                                ('position', 'INTEGER', 1, 0),
                                ('points', 'TEXT', 1, 0),
                                ('id', 'VARCHAR(36)', 1, 1),
                                ('updated_at', 'VARCHAR(32)', 1, 0),
                                ('updated_by', 'VARCHAR(200)', 1, 0),
                                ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'alembic_version': (('version_num', 'VARCHAR(32)', 1, 1),),
                'attachment': (('source_id', 'VARCHAR(36)', 1, 0),
                               ('filename', 'TEXT', 1, 0),
                               ('media_type', 'VARCHAR(200)', 1, 0),
                               ('sha256', 'VARCHAR(64)', 1, 0),
                               ('added_at', 'VARCHAR(32)', 1, 0),
                               ('id', 'VARCHAR(36)', 1, 1),
                               ('updated_at', 'VARCHAR(32)', 1, 0),
                               ('updated_by', 'VARCHAR(200)', 1, 0),
                               ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'blob': (('sha256', 'VARCHAR(64)', 1, 1), ('size', 'INTEGER', 1, 0), ('data', 'BLOB', 1, 0)),
                'meeting': (('title', 'TEXT', 1, 0),
                            ('date', 'VARCHAR(10)', 0, 0),
                            ('place', 'TEXT', 1, 0),
                            ('participants', 'TEXT', 1, 0),
                            ('classification', 'TEXT', 1, 0),
                            ('purpose', 'TEXT', 1, 0),
                            ('id', 'VARCHAR(36)', 1, 1),
                            ('updated_at', 'VARCHAR(32)', 1, 0),
                            ('updated_by', 'VARCHAR(200)', 1, 0),
                            ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'meta': (('key', 'VARCHAR(100)', 1, 1), ('value', 'TEXT', 1, 0)),
                'node': (('plan_id', 'VARCHAR(36)', 1, 0),
                         ('parent_id', 'VARCHAR(36)', 0, 0),
                         ('kind', 'VARCHAR(20)', 1, 0),
                         ('ref', 'VARCHAR(40)', 1, 0),
                         ('position', 'INTEGER', 1, 0),
                         ('title', 'TEXT', 1, 0),
                         ('text', 'TEXT', 1, 0),
                         ('status', 'VARCHAR(20)', 0, 0),
                         ('lead_office', 'TEXT', 1, 0),
                         ('status_changed_at', 'VARCHAR(32)', 0, 0),
                         ('status_changed_by', 'VARCHAR(200)', 0, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'note': (('node_id', 'VARCHAR(36)', 1, 0),
                         ('kind', 'VARCHAR(20)', 1, 0),
                         ('body', 'TEXT', 1, 0),
                         ('author', 'VARCHAR(200)', 1, 0),
                         ('position', 'INTEGER', 1, 0),
                         ('created_at', 'VARCHAR(32)', 1, 0),
                         ('conflict_of', 'VARCHAR(36)', 0, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'plan': (('title', 'TEXT', 1, 0),
                         ('parties', 'TEXT', 1, 0),
                         ('period', 'VARCHAR(40)', 0, 0),
                         ('adopted_on', 'VARCHAR(10)', 0, 0),
                         ('preamble', 'TEXT', 1, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'row_version': (('row_id', 'VARCHAR(36)', 1, 1),
                                ('updated_at', 'VARCHAR(32)', 1, 2),
                                ('body', 'TEXT', 0, 0)),
                'search_index': (('body', '', 0, 0), ('kind', '', 0, 0), ('row_id', '', 0, 0)),
                'search_index_config': (('k', '', 1, 1), ('v', '', 0, 0)),
                'search_index_content': (('id', 'INTEGER', 0, 1),
                                         ('c0', '', 0, 0),
                                         ('c1', '', 0, 0),
                                         ('c2', '', 0, 0)),
                'search_index_data': (('id', 'INTEGER', 0, 1), ('block', 'BLOB', 0, 0)),
                'search_index_docsize': (('id', 'INTEGER', 0, 1), ('sz', 'BLOB', 0, 0)),
                'search_index_idx': (('segid', '', 1, 1), ('term', '', 1, 2), ('pgno', '', 0, 0)),
                'source': (('title', 'TEXT', 1, 0),
                           ('outlet', 'TEXT', 1, 0),
                           ('url', 'TEXT', 1, 0),
                           ('published', 'VARCHAR(10)', 0, 0),
                           ('excerpt', 'TEXT', 1, 0),
                           ('id', 'VARCHAR(36)', 1, 1),
                           ('updated_at', 'VARCHAR(32)', 1, 0),
                           ('updated_by', 'VARCHAR(200)', 1, 0),
                           ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'source_link': (('source_id', 'VARCHAR(36)', 1, 0),
                                ('node_id', 'VARCHAR(36)', 1, 0),
                                ('quote', 'TEXT', 1, 0),
                                ('id', 'VARCHAR(36)', 1, 1),
                                ('updated_at', 'VARCHAR(32)', 1, 0),
                                ('updated_by', 'VARCHAR(200)', 1, 0),
                                ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'status_change': (('id', 'VARCHAR(36)', 1, 1),
                                  ('node_id', 'VARCHAR(36)', 1, 0),
                                  ('from_status', 'VARCHAR(20)', 0, 0),
                                  ('to_status', 'VARCHAR(20)', 1, 0),
                                  ('comment', 'TEXT', 1, 0),
                                  ('changed_at', 'VARCHAR(32)', 1, 0),
                                  ('changed_by', 'VARCHAR(200)', 1, 0))},
     'triggers': {'row_version_agenda_item': 'CREATE TRIGGER row_version_agenda_item AFTER UPDATE ON '
                                             'agenda_item WHEN old.updated_at IS NOT new.updated_at BEGIN '
                                             'INSERT OR IGNORE INTO row_version (row_id, updated_at, body) '
                                             'VALUES (old.id, old.updated_at, NULL); END',
                  'row_version_attachment': 'CREATE TRIGGER row_version_attachment AFTER UPDATE ON '
                                            'attachment WHEN old.updated_at IS NOT new.updated_at BEGIN '
                                            'INSERT OR IGNORE INTO row_version (row_id, updated_at, body) '
                                            'VALUES (old.id, old.updated_at, NULL); END',
                  'row_version_meeting': 'CREATE TRIGGER row_version_meeting AFTER UPDATE ON meeting WHEN '
                                         'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                         'row_version (row_id, updated_at, body) VALUES (old.id, '
                                         'old.updated_at, NULL); END',
                  'row_version_node': 'CREATE TRIGGER row_version_node AFTER UPDATE ON node WHEN '
                                      'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                      'row_version (row_id, updated_at, body) VALUES (old.id, '
                                      'old.updated_at, NULL); END',
                  'row_version_note': 'CREATE TRIGGER row_version_note AFTER UPDATE ON note WHEN '
                                      'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                      'row_version (row_id, updated_at, body) VALUES (old.id, '
                                      'old.updated_at, old.body); END',
                  'row_version_plan': 'CREATE TRIGGER row_version_plan AFTER UPDATE ON plan WHEN '
                                      'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                      'row_version (row_id, updated_at, body) VALUES (old.id, '
                                      'old.updated_at, NULL); END',
                  'row_version_source': 'CREATE TRIGGER row_version_source AFTER UPDATE ON source WHEN '
                                        'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                        'row_version (row_id, updated_at, body) VALUES (old.id, '
                                        'old.updated_at, NULL); END',
                  'row_version_source_link': 'CREATE TRIGGER row_version_source_link AFTER UPDATE ON '
                                             'source_link WHEN old.updated_at IS NOT new.updated_at BEGIN '
                                             'INSERT OR IGNORE INTO row_version (row_id, updated_at, body) '
                                             'VALUES (old.id, old.updated_at, NULL); END'},
     'views': {}},
 3: {'indexes': {'ix_agenda_meeting': 'CREATE INDEX ix_agenda_meeting ON agenda_item (meeting_id, position)',
                 'ix_attachment_source': 'CREATE INDEX ix_attachment_source ON attachment (source_id)',
                 'ix_merge_conflict_row': 'CREATE INDEX ix_merge_conflict_row ON merge_conflict (row_id)',
                 'ix_node_plan_parent': 'CREATE INDEX ix_node_plan_parent ON node (plan_id, parent_id, '
                                        'position)',
                 'ix_node_ref': 'CREATE INDEX ix_node_ref ON node (plan_id, ref)',
                 'ix_note_node': 'CREATE INDEX ix_note_node ON note (node_id, kind, position)',
                 'ix_source_link_node': 'CREATE INDEX ix_source_link_node ON source_link (node_id)',
                 'ix_status_change_node': 'CREATE INDEX ix_status_change_node ON status_change (node_id, '
                                          'changed_at)'},
     'tables': {'agenda_item': (('meeting_id', 'VARCHAR(36)', 1, 0),
                                ('node_id', 'VARCHAR(36)', 1, 0),
                                ('position', 'INTEGER', 1, 0),
                                ('points', 'TEXT', 1, 0),
                                ('id', 'VARCHAR(36)', 1, 1),
                                ('updated_at', 'VARCHAR(32)', 1, 0),
                                ('updated_by', 'VARCHAR(200)', 1, 0),
                                ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'alembic_version': (('version_num', 'VARCHAR(32)', 1, 1),),
                'attachment': (('source_id', 'VARCHAR(36)', 1, 0),
                               ('filename', 'TEXT', 1, 0),
                               ('media_type', 'VARCHAR(200)', 1, 0),
                               ('sha256', 'VARCHAR(64)', 1, 0),
                               ('added_at', 'VARCHAR(32)', 1, 0),
                               ('id', 'VARCHAR(36)', 1, 1),
                               ('updated_at', 'VARCHAR(32)', 1, 0),
                               ('updated_by', 'VARCHAR(200)', 1, 0),
                               ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'blob': (('sha256', 'VARCHAR(64)', 1, 1), ('size', 'INTEGER', 1, 0), ('data', 'BLOB', 1, 0)),
                'meeting': (('title', 'TEXT', 1, 0),
                            ('date', 'VARCHAR(10)', 0, 0),
                            ('place', 'TEXT', 1, 0),
                            ('participants', 'TEXT', 1, 0),
                            ('classification', 'TEXT', 1, 0),
                            ('purpose', 'TEXT', 1, 0),
                            ('id', 'VARCHAR(36)', 1, 1),
                            ('updated_at', 'VARCHAR(32)', 1, 0),
                            ('updated_by', 'VARCHAR(200)', 1, 0),
                            ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'merge_conflict': (('id', 'VARCHAR(36)', 1, 1),
                                   ('updated_at', 'VARCHAR(32)', 1, 0),
                                   ('updated_by', 'VARCHAR(200)', 1, 0),
                                   ('deleted_at', 'VARCHAR(32)', 0, 0),
                                   ('table_name', 'VARCHAR(40)', 1, 0),
                                   ('row_id', 'VARCHAR(36)', 1, 0),
                                   ('field', 'VARCHAR(40)', 1, 0),
                                   ('value', 'TEXT', 1, 0),
                                   ('kept', 'TEXT', 1, 0),
                                   ('other_by', 'VARCHAR(200)', 1, 0),
                                   ('other_at', 'VARCHAR(32)', 1, 0),
                                   ('created_at', 'VARCHAR(32)', 1, 0)),
                'meta': (('key', 'VARCHAR(100)', 1, 1), ('value', 'TEXT', 1, 0)),
                'node': (('plan_id', 'VARCHAR(36)', 1, 0),
                         ('parent_id', 'VARCHAR(36)', 0, 0),
                         ('kind', 'VARCHAR(20)', 1, 0),
                         ('ref', 'VARCHAR(40)', 1, 0),
                         ('position', 'INTEGER', 1, 0),
                         ('title', 'TEXT', 1, 0),
                         ('text', 'TEXT', 1, 0),
                         ('status', 'VARCHAR(20)', 0, 0),
                         ('lead_office', 'TEXT', 1, 0),
                         ('status_changed_at', 'VARCHAR(32)', 0, 0),
                         ('status_changed_by', 'VARCHAR(200)', 0, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0),
                         ('retired_at', 'VARCHAR(32)', 0, 0)),
                'note': (('node_id', 'VARCHAR(36)', 1, 0),
                         ('kind', 'VARCHAR(20)', 1, 0),
                         ('body', 'TEXT', 1, 0),
                         ('author', 'VARCHAR(200)', 1, 0),
                         ('position', 'INTEGER', 1, 0),
                         ('created_at', 'VARCHAR(32)', 1, 0),
                         ('conflict_of', 'VARCHAR(36)', 0, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'plan': (('title', 'TEXT', 1, 0),
                         ('parties', 'TEXT', 1, 0),
                         ('period', 'VARCHAR(40)', 0, 0),
                         ('adopted_on', 'VARCHAR(10)', 0, 0),
                         ('preamble', 'TEXT', 1, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'row_version': (('row_id', 'VARCHAR(36)', 1, 1),
                                ('updated_at', 'VARCHAR(32)', 1, 2),
                                ('body', 'TEXT', 0, 0),
                                ('data', 'TEXT', 0, 0)),
                'search_index': (('body', '', 0, 0), ('kind', '', 0, 0), ('row_id', '', 0, 0)),
                'search_index_config': (('k', '', 1, 1), ('v', '', 0, 0)),
                'search_index_content': (('id', 'INTEGER', 0, 1),
                                         ('c0', '', 0, 0),
                                         ('c1', '', 0, 0),
                                         ('c2', '', 0, 0)),
                'search_index_data': (('id', 'INTEGER', 0, 1), ('block', 'BLOB', 0, 0)),
                'search_index_docsize': (('id', 'INTEGER', 0, 1), ('sz', 'BLOB', 0, 0)),
                'search_index_idx': (('segid', '', 1, 1), ('term', '', 1, 2), ('pgno', '', 0, 0)),
                'source': (('title', 'TEXT', 1, 0),
                           ('outlet', 'TEXT', 1, 0),
                           ('url', 'TEXT', 1, 0),
                           ('published', 'VARCHAR(10)', 0, 0),
                           ('excerpt', 'TEXT', 1, 0),
                           ('id', 'VARCHAR(36)', 1, 1),
                           ('updated_at', 'VARCHAR(32)', 1, 0),
                           ('updated_by', 'VARCHAR(200)', 1, 0),
                           ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'source_link': (('source_id', 'VARCHAR(36)', 1, 0),
                                ('node_id', 'VARCHAR(36)', 1, 0),
                                ('quote', 'TEXT', 1, 0),
                                ('id', 'VARCHAR(36)', 1, 1),
                                ('updated_at', 'VARCHAR(32)', 1, 0),
                                ('updated_by', 'VARCHAR(200)', 1, 0),
                                ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'status_change': (('id', 'VARCHAR(36)', 1, 1),
                                  ('node_id', 'VARCHAR(36)', 1, 0),
                                  ('from_status', 'VARCHAR(20)', 0, 0),
                                  ('to_status', 'VARCHAR(20)', 1, 0),
                                  ('comment', 'TEXT', 1, 0),
                                  ('changed_at', 'VARCHAR(32)', 1, 0),
                                  ('changed_by', 'VARCHAR(200)', 1, 0))},
     'triggers': {'row_version_agenda_item': 'CREATE TRIGGER row_version_agenda_item AFTER UPDATE ON '
                                             'agenda_item WHEN old.updated_at IS NOT new.updated_at BEGIN '
                                             'INSERT OR IGNORE INTO row_version (row_id, updated_at, body, '
                                             "data) VALUES (old.id, old.updated_at, NULL, json_object('id', "
                                             "old.id, 'updated_at', old.updated_at, 'updated_by', "
                                             "old.updated_by, 'deleted_at', old.deleted_at, 'meeting_id', "
                                             "old.meeting_id, 'node_id', old.node_id, 'position', "
                                             "old.position, 'points', old.points)); END",
                  'row_version_attachment': 'CREATE TRIGGER row_version_attachment AFTER UPDATE ON '
                                            'attachment WHEN old.updated_at IS NOT new.updated_at BEGIN '
                                            'INSERT OR IGNORE INTO row_version (row_id, updated_at, body, '
                                            "data) VALUES (old.id, old.updated_at, NULL, json_object('id', "
                                            "old.id, 'updated_at', old.updated_at, 'updated_by', "
                                            "old.updated_by, 'deleted_at', old.deleted_at, 'source_id', "
                                            "old.source_id, 'filename', old.filename, 'media_type', "
                                            "old.media_type, 'sha256', old.sha256, 'added_at', "
                                            'old.added_at)); END',
                  'row_version_meeting': 'CREATE TRIGGER row_version_meeting AFTER UPDATE ON meeting WHEN '
                                         'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                         'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                         "old.updated_at, NULL, json_object('id', old.id, 'updated_at', "
                                         "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                         "old.deleted_at, 'title', old.title, 'date', old.date, 'place', "
                                         "old.place, 'participants', old.participants, 'classification', "
                                         "old.classification, 'purpose', old.purpose)); END",
                  'row_version_merge_conflict': 'CREATE TRIGGER row_version_merge_conflict AFTER UPDATE ON '
                                                'merge_conflict WHEN old.updated_at IS NOT new.updated_at '
                                                'BEGIN INSERT OR IGNORE INTO row_version (row_id, '
                                                'updated_at, body, data) VALUES (old.id, old.updated_at, '
                                                "NULL, json_object('id', old.id, 'updated_at', "
                                                "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                                "old.deleted_at, 'table_name', old.table_name, 'row_id', "
                                                "old.row_id, 'field', old.field, 'value', old.value, 'kept', "
                                                "old.kept, 'other_by', old.other_by, 'other_at', "
                                                "old.other_at, 'created_at', old.created_at)); END",
                  'row_version_node': 'CREATE TRIGGER row_version_node AFTER UPDATE ON node WHEN '
                                      'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                      'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                      "old.updated_at, NULL, json_object('id', old.id, 'updated_at', "
                                      "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                      "old.deleted_at, 'plan_id', old.plan_id, 'parent_id', old.parent_id, "
                                      "'kind', old.kind, 'ref', old.ref, 'position', old.position, 'title', "
                                      "old.title, 'text', old.text, 'status', old.status, 'lead_office', "
                                      "old.lead_office, 'status_changed_at', old.status_changed_at, "
                                      "'status_changed_by', old.status_changed_by, 'retired_at', "
                                      'old.retired_at)); END',
                  'row_version_note': 'CREATE TRIGGER row_version_note AFTER UPDATE ON note WHEN '
                                      'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                      'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                      "old.updated_at, old.body, json_object('id', old.id, 'updated_at', "
                                      "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                      "old.deleted_at, 'node_id', old.node_id, 'kind', old.kind, 'body', "
                                      "old.body, 'author', old.author, 'position', old.position, "
                                      "'created_at', old.created_at, 'conflict_of', old.conflict_of)); END",
                  'row_version_plan': 'CREATE TRIGGER row_version_plan AFTER UPDATE ON plan WHEN '
                                      'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                      'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                      "old.updated_at, NULL, json_object('id', old.id, 'updated_at', "
                                      "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                      "old.deleted_at, 'title', old.title, 'parties', old.parties, 'period', "
                                      "old.period, 'adopted_on', old.adopted_on, 'preamble', old.preamble)); "
                                      'END',
                  'row_version_source': 'CREATE TRIGGER row_version_source AFTER UPDATE ON source WHEN '
                                        'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                        'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                        "old.updated_at, NULL, json_object('id', old.id, 'updated_at', "
                                        "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                        "old.deleted_at, 'title', old.title, 'outlet', old.outlet, 'url', "
                                        "old.url, 'published', old.published, 'excerpt', old.excerpt)); END",
                  'row_version_source_link': 'CREATE TRIGGER row_version_source_link AFTER UPDATE ON '
                                             'source_link WHEN old.updated_at IS NOT new.updated_at BEGIN '
                                             'INSERT OR IGNORE INTO row_version (row_id, updated_at, body, '
                                             "data) VALUES (old.id, old.updated_at, NULL, json_object('id', "
                                             "old.id, 'updated_at', old.updated_at, 'updated_by', "
                                             "old.updated_by, 'deleted_at', old.deleted_at, 'source_id', "
                                             "old.source_id, 'node_id', old.node_id, 'quote', old.quote)); "
                                             'END'},
     'views': {}},
 4: {'indexes': {'ix_agenda_meeting': 'CREATE INDEX ix_agenda_meeting ON agenda_item (meeting_id, position)',
                 'ix_attachment_source': 'CREATE INDEX ix_attachment_source ON attachment (source_id)',
                 'ix_merge_conflict_row': 'CREATE INDEX ix_merge_conflict_row ON merge_conflict (row_id)',
                 'ix_node_plan_parent': 'CREATE INDEX ix_node_plan_parent ON node (plan_id, parent_id, '
                                        'position)',
                 'ix_node_ref': 'CREATE INDEX ix_node_ref ON node (plan_id, ref)',
                 'ix_note_node': 'CREATE INDEX ix_note_node ON note (node_id, kind, position)',
                 'ix_source_link_node': 'CREATE INDEX ix_source_link_node ON source_link (node_id)',
                 'ix_status_change_node': 'CREATE INDEX ix_status_change_node ON status_change (node_id, '
                                          'changed_at)'},
     'tables': {'agenda_item': (('meeting_id', 'VARCHAR(36)', 1, 0),
                                ('node_id', 'VARCHAR(36)', 1, 0),
                                ('position', 'INTEGER', 1, 0),
                                ('points', 'TEXT', 1, 0),
                                ('id', 'VARCHAR(36)', 1, 1),
                                ('updated_at', 'VARCHAR(32)', 1, 0),
                                ('updated_by', 'VARCHAR(200)', 1, 0),
                                ('deleted_at', 'VARCHAR(32)', 0, 0),
                                ('objective', 'TEXT', 1, 0)),
                'alembic_version': (('version_num', 'VARCHAR(32)', 1, 1),),
                'attachment': (('source_id', 'VARCHAR(36)', 1, 0),
                               ('filename', 'TEXT', 1, 0),
                               ('media_type', 'VARCHAR(200)', 1, 0),
                               ('sha256', 'VARCHAR(64)', 1, 0),
                               ('added_at', 'VARCHAR(32)', 1, 0),
                               ('id', 'VARCHAR(36)', 1, 1),
                               ('updated_at', 'VARCHAR(32)', 1, 0),
                               ('updated_by', 'VARCHAR(200)', 1, 0),
                               ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'blob': (('sha256', 'VARCHAR(64)', 1, 1), ('size', 'INTEGER', 1, 0), ('data', 'BLOB', 1, 0)),
                'meeting': (('title', 'TEXT', 1, 0),
                            ('date', 'VARCHAR(10)', 0, 0),
                            ('place', 'TEXT', 1, 0),
                            ('participants', 'TEXT', 1, 0),
                            ('classification', 'TEXT', 1, 0),
                            ('purpose', 'TEXT', 1, 0),
                            ('id', 'VARCHAR(36)', 1, 1),
                            ('updated_at', 'VARCHAR(32)', 1, 0),
                            ('updated_by', 'VARCHAR(200)', 1, 0),
                            ('deleted_at', 'VARCHAR(32)', 0, 0),
                            ('objectives', 'TEXT', 1, 0),
                            ('press_line', 'TEXT', 1, 0)),
                'merge_conflict': (('id', 'VARCHAR(36)', 1, 1),
                                   ('updated_at', 'VARCHAR(32)', 1, 0),
                                   ('updated_by', 'VARCHAR(200)', 1, 0),
                                   ('deleted_at', 'VARCHAR(32)', 0, 0),
                                   ('table_name', 'VARCHAR(40)', 1, 0),
                                   ('row_id', 'VARCHAR(36)', 1, 0),
                                   ('field', 'VARCHAR(40)', 1, 0),
                                   ('value', 'TEXT', 1, 0),
                                   ('kept', 'TEXT', 1, 0),
                                   ('other_by', 'VARCHAR(200)', 1, 0),
                                   ('other_at', 'VARCHAR(32)', 1, 0),
                                   ('created_at', 'VARCHAR(32)', 1, 0)),
                'meta': (('key', 'VARCHAR(100)', 1, 1), ('value', 'TEXT', 1, 0)),
                'node': (('plan_id', 'VARCHAR(36)', 1, 0),
                         ('parent_id', 'VARCHAR(36)', 0, 0),
                         ('kind', 'VARCHAR(20)', 1, 0),
                         ('ref', 'VARCHAR(40)', 1, 0),
                         ('position', 'INTEGER', 1, 0),
                         ('title', 'TEXT', 1, 0),
                         ('text', 'TEXT', 1, 0),
                         ('status', 'VARCHAR(20)', 0, 0),
                         ('lead_office', 'TEXT', 1, 0),
                         ('status_changed_at', 'VARCHAR(32)', 0, 0),
                         ('status_changed_by', 'VARCHAR(200)', 0, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0),
                         ('retired_at', 'VARCHAR(32)', 0, 0)),
                'note': (('node_id', 'VARCHAR(36)', 1, 0),
                         ('kind', 'VARCHAR(20)', 1, 0),
                         ('body', 'TEXT', 1, 0),
                         ('author', 'VARCHAR(200)', 1, 0),
                         ('position', 'INTEGER', 1, 0),
                         ('created_at', 'VARCHAR(32)', 1, 0),
                         ('conflict_of', 'VARCHAR(36)', 0, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0),
                         ('response', 'TEXT', 1, 0),
                         ('is_key', 'INTEGER', 1, 0)),
                'plan': (('title', 'TEXT', 1, 0),
                         ('parties', 'TEXT', 1, 0),
                         ('period', 'VARCHAR(40)', 0, 0),
                         ('adopted_on', 'VARCHAR(10)', 0, 0),
                         ('preamble', 'TEXT', 1, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'row_version': (('row_id', 'VARCHAR(36)', 1, 1),
                                ('updated_at', 'VARCHAR(32)', 1, 2),
                                ('body', 'TEXT', 0, 0),
                                ('data', 'TEXT', 0, 0)),
                'search_index': (('body', '', 0, 0), ('kind', '', 0, 0), ('row_id', '', 0, 0)),
                'search_index_config': (('k', '', 1, 1), ('v', '', 0, 0)),
                'search_index_content': (('id', 'INTEGER', 0, 1),
                                         ('c0', '', 0, 0),
                                         ('c1', '', 0, 0),
                                         ('c2', '', 0, 0)),
                'search_index_data': (('id', 'INTEGER', 0, 1), ('block', 'BLOB', 0, 0)),
                'search_index_docsize': (('id', 'INTEGER', 0, 1), ('sz', 'BLOB', 0, 0)),
                'search_index_idx': (('segid', '', 1, 1), ('term', '', 1, 2), ('pgno', '', 0, 0)),
                'source': (('title', 'TEXT', 1, 0),
                           ('outlet', 'TEXT', 1, 0),
                           ('url', 'TEXT', 1, 0),
                           ('published', 'VARCHAR(10)', 0, 0),
                           ('excerpt', 'TEXT', 1, 0),
                           ('id', 'VARCHAR(36)', 1, 1),
                           ('updated_at', 'VARCHAR(32)', 1, 0),
                           ('updated_by', 'VARCHAR(200)', 1, 0),
                           ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'source_link': (('source_id', 'VARCHAR(36)', 1, 0),
                                ('node_id', 'VARCHAR(36)', 1, 0),
                                ('quote', 'TEXT', 1, 0),
                                ('id', 'VARCHAR(36)', 1, 1),
                                ('updated_at', 'VARCHAR(32)', 1, 0),
                                ('updated_by', 'VARCHAR(200)', 1, 0),
                                ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'status_change': (('id', 'VARCHAR(36)', 1, 1),
                                  ('node_id', 'VARCHAR(36)', 1, 0),
                                  ('from_status', 'VARCHAR(20)', 0, 0),
                                  ('to_status', 'VARCHAR(20)', 1, 0),
                                  ('comment', 'TEXT', 1, 0),
                                  ('changed_at', 'VARCHAR(32)', 1, 0),
                                  ('changed_by', 'VARCHAR(200)', 1, 0))},
     'triggers': {'row_version_agenda_item': 'CREATE TRIGGER row_version_agenda_item AFTER UPDATE ON '
                                             'agenda_item WHEN old.updated_at IS NOT new.updated_at BEGIN '
                                             'INSERT OR IGNORE INTO row_version (row_id, updated_at, body, '
                                             "data) VALUES (old.id, old.updated_at, NULL, json_object('id', "
                                             "old.id, 'updated_at', old.updated_at, 'updated_by', "
                                             "old.updated_by, 'deleted_at', old.deleted_at, 'meeting_id', "
                                             "old.meeting_id, 'node_id', old.node_id, 'position', "
                                             "old.position, 'points', old.points, 'objective', "
                                             'old.objective)); END',
                  'row_version_attachment': 'CREATE TRIGGER row_version_attachment AFTER UPDATE ON '
                                            'attachment WHEN old.updated_at IS NOT new.updated_at BEGIN '
                                            'INSERT OR IGNORE INTO row_version (row_id, updated_at, body, '
                                            "data) VALUES (old.id, old.updated_at, NULL, json_object('id', "
                                            "old.id, 'updated_at', old.updated_at, 'updated_by', "
                                            "old.updated_by, 'deleted_at', old.deleted_at, 'source_id', "
                                            "old.source_id, 'filename', old.filename, 'media_type', "
                                            "old.media_type, 'sha256', old.sha256, 'added_at', "
                                            'old.added_at)); END',
                  'row_version_meeting': 'CREATE TRIGGER row_version_meeting AFTER UPDATE ON meeting WHEN '
                                         'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                         'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                         "old.updated_at, NULL, json_object('id', old.id, 'updated_at', "
                                         "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                         "old.deleted_at, 'title', old.title, 'date', old.date, 'place', "
                                         "old.place, 'participants', old.participants, 'classification', "
                                         "old.classification, 'purpose', old.purpose, 'objectives', "
                                         "old.objectives, 'press_line', old.press_line)); END",
                  'row_version_merge_conflict': 'CREATE TRIGGER row_version_merge_conflict AFTER UPDATE ON '
                                                'merge_conflict WHEN old.updated_at IS NOT new.updated_at '
                                                'BEGIN INSERT OR IGNORE INTO row_version (row_id, '
                                                'updated_at, body, data) VALUES (old.id, old.updated_at, '
                                                "NULL, json_object('id', old.id, 'updated_at', "
                                                "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                                "old.deleted_at, 'table_name', old.table_name, 'row_id', "
                                                "old.row_id, 'field', old.field, 'value', old.value, 'kept', "
                                                "old.kept, 'other_by', old.other_by, 'other_at', "
                                                "old.other_at, 'created_at', old.created_at)); END",
                  'row_version_node': 'CREATE TRIGGER row_version_node AFTER UPDATE ON node WHEN '
                                      'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                      'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                      "old.updated_at, NULL, json_object('id', old.id, 'updated_at', "
                                      "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                      "old.deleted_at, 'plan_id', old.plan_id, 'parent_id', old.parent_id, "
                                      "'kind', old.kind, 'ref', old.ref, 'position', old.position, 'title', "
                                      "old.title, 'text', old.text, 'status', old.status, 'lead_office', "
                                      "old.lead_office, 'status_changed_at', old.status_changed_at, "
                                      "'status_changed_by', old.status_changed_by, 'retired_at', "
                                      'old.retired_at)); END',
                  'row_version_note': 'CREATE TRIGGER row_version_note AFTER UPDATE ON note WHEN '
                                      'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                      'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                      "old.updated_at, old.body, json_object('id', old.id, 'updated_at', "
                                      "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                      "old.deleted_at, 'node_id', old.node_id, 'kind', old.kind, 'body', "
                                      "old.body, 'author', old.author, 'position', old.position, "
                                      "'created_at', old.created_at, 'conflict_of', old.conflict_of, "
                                      "'response', old.response, 'is_key', old.is_key)); END",
                  'row_version_plan': 'CREATE TRIGGER row_version_plan AFTER UPDATE ON plan WHEN '
                                      'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                      'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                      "old.updated_at, NULL, json_object('id', old.id, 'updated_at', "
                                      "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                      "old.deleted_at, 'title', old.title, 'parties', old.parties, 'period', "
                                      "old.period, 'adopted_on', old.adopted_on, 'preamble', old.preamble)); "
                                      'END',
                  'row_version_source': 'CREATE TRIGGER row_version_source AFTER UPDATE ON source WHEN '
                                        'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                        'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                        "old.updated_at, NULL, json_object('id', old.id, 'updated_at', "
                                        "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                        "old.deleted_at, 'title', old.title, 'outlet', old.outlet, 'url', "
                                        "old.url, 'published', old.published, 'excerpt', old.excerpt)); END",
                  'row_version_source_link': 'CREATE TRIGGER row_version_source_link AFTER UPDATE ON '
                                             'source_link WHEN old.updated_at IS NOT new.updated_at BEGIN '
                                             'INSERT OR IGNORE INTO row_version (row_id, updated_at, body, '
                                             "data) VALUES (old.id, old.updated_at, NULL, json_object('id', "
                                             "old.id, 'updated_at', old.updated_at, 'updated_by', "
                                             "old.updated_by, 'deleted_at', old.deleted_at, 'source_id', "
                                             "old.source_id, 'node_id', old.node_id, 'quote', old.quote)); "
                                             'END'},
     'views': {}},
 6: {'indexes': {'ix_agenda_meeting': 'CREATE INDEX ix_agenda_meeting ON agenda_item (meeting_id, position)',
                 'ix_approval_meeting': 'CREATE INDEX ix_approval_meeting ON approval (meeting_id)',
                 'ix_attachment_source': 'CREATE INDEX ix_attachment_source ON attachment (source_id)',
                 'ix_clearance_meeting': 'CREATE INDEX ix_clearance_meeting ON clearance (meeting_id)',
                 'ix_merge_conflict_row': 'CREATE INDEX ix_merge_conflict_row ON merge_conflict (row_id)',
                 'ix_node_plan_parent': 'CREATE INDEX ix_node_plan_parent ON node (plan_id, parent_id, '
                                        'position)',
                 'ix_node_ref': 'CREATE INDEX ix_node_ref ON node (plan_id, ref)',
                 'ix_note_node': 'CREATE INDEX ix_note_node ON note (node_id, kind, position)',
                 'ix_source_link_node': 'CREATE INDEX ix_source_link_node ON source_link (node_id)',
                 'ix_status_change_node': 'CREATE INDEX ix_status_change_node ON status_change (node_id, '
                                          'changed_at)'},
     'tables': {'agenda_item': (('meeting_id', 'VARCHAR(36)', 1, 0),
                                ('node_id', 'VARCHAR(36)', 1, 0),
                                ('position', 'INTEGER', 1, 0),
                                ('points', 'TEXT', 1, 0),
                                ('id', 'VARCHAR(36)', 1, 1),
                                ('updated_at', 'VARCHAR(32)', 1, 0),
                                ('updated_by', 'VARCHAR(200)', 1, 0),
                                ('deleted_at', 'VARCHAR(32)', 0, 0),
                                ('objective', 'TEXT', 1, 0)),
                'alembic_version': (('version_num', 'VARCHAR(32)', 1, 1),),
                'approval': (('meeting_id', 'VARCHAR(36)', 1, 0),
                             ('approver', 'VARCHAR(200)', 1, 0),
                             ('made_at', 'VARCHAR(32)', 1, 0),
                             ('comment', 'TEXT', 1, 0),
                             ('content_sha256', 'VARCHAR(64)', 1, 0),
                             ('id', 'VARCHAR(36)', 1, 1),
                             ('updated_at', 'VARCHAR(32)', 1, 0),
                             ('updated_by', 'VARCHAR(200)', 1, 0),
                             ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'attachment': (('source_id', 'VARCHAR(36)', 1, 0),
                               ('filename', 'TEXT', 1, 0),
                               ('media_type', 'VARCHAR(200)', 1, 0),
                               ('sha256', 'VARCHAR(64)', 1, 0),
                               ('added_at', 'VARCHAR(32)', 1, 0),
                               ('id', 'VARCHAR(36)', 1, 1),
                               ('updated_at', 'VARCHAR(32)', 1, 0),
                               ('updated_by', 'VARCHAR(200)', 1, 0),
                               ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'blob': (('sha256', 'VARCHAR(64)', 1, 1), ('size', 'INTEGER', 1, 0), ('data', 'BLOB', 1, 0)),
                'clearance': (('meeting_id', 'VARCHAR(36)', 1, 0),
                              ('agenda_item_id', 'VARCHAR(36)', 0, 0),
                              ('state', 'VARCHAR(10)', 1, 0),
                              ('clearer', 'VARCHAR(200)', 1, 0),
                              ('made_at', 'VARCHAR(32)', 1, 0),
                              ('comment', 'TEXT', 1, 0),
                              ('content_sha256', 'VARCHAR(64)', 1, 0),
                              ('content', 'TEXT', 1, 0),
                              ('id', 'VARCHAR(36)', 1, 1),
                              ('updated_at', 'VARCHAR(32)', 1, 0),
                              ('updated_by', 'VARCHAR(200)', 1, 0),
                              ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'meeting': (('title', 'TEXT', 1, 0),
                            ('date', 'VARCHAR(10)', 0, 0),
                            ('place', 'TEXT', 1, 0),
                            ('participants', 'TEXT', 1, 0),
                            ('classification', 'TEXT', 1, 0),
                            ('purpose', 'TEXT', 1, 0),
                            ('id', 'VARCHAR(36)', 1, 1),
                            ('updated_at', 'VARCHAR(32)', 1, 0),
                            ('updated_by', 'VARCHAR(200)', 1, 0),
                            ('deleted_at', 'VARCHAR(32)', 0, 0),
                            ('objectives', 'TEXT', 1, 0),
                            ('press_line', 'TEXT', 1, 0)),
                'merge_conflict': (('id', 'VARCHAR(36)', 1, 1),
                                   ('updated_at', 'VARCHAR(32)', 1, 0),
                                   ('updated_by', 'VARCHAR(200)', 1, 0),
                                   ('deleted_at', 'VARCHAR(32)', 0, 0),
                                   ('table_name', 'VARCHAR(40)', 1, 0),
                                   ('row_id', 'VARCHAR(36)', 1, 0),
                                   ('field', 'VARCHAR(40)', 1, 0),
                                   ('value', 'TEXT', 1, 0),
                                   ('kept', 'TEXT', 1, 0),
                                   ('other_by', 'VARCHAR(200)', 1, 0),
                                   ('other_at', 'VARCHAR(32)', 1, 0),
                                   ('created_at', 'VARCHAR(32)', 1, 0)),
                'meta': (('key', 'VARCHAR(100)', 1, 1), ('value', 'TEXT', 1, 0)),
                'node': (('plan_id', 'VARCHAR(36)', 1, 0),
                         ('parent_id', 'VARCHAR(36)', 0, 0),
                         ('kind', 'VARCHAR(20)', 1, 0),
                         ('ref', 'VARCHAR(40)', 1, 0),
                         ('position', 'INTEGER', 1, 0),
                         ('title', 'TEXT', 1, 0),
                         ('text', 'TEXT', 1, 0),
                         ('status', 'VARCHAR(20)', 0, 0),
                         ('lead_office', 'TEXT', 1, 0),
                         ('status_changed_at', 'VARCHAR(32)', 0, 0),
                         ('status_changed_by', 'VARCHAR(200)', 0, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0),
                         ('retired_at', 'VARCHAR(32)', 0, 0)),
                'note': (('node_id', 'VARCHAR(36)', 1, 0),
                         ('kind', 'VARCHAR(20)', 1, 0),
                         ('body', 'TEXT', 1, 0),
                         ('author', 'VARCHAR(200)', 1, 0),
                         ('position', 'INTEGER', 1, 0),
                         ('created_at', 'VARCHAR(32)', 1, 0),
                         ('conflict_of', 'VARCHAR(36)', 0, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0),
                         ('response', 'TEXT', 1, 0),
                         ('is_key', 'INTEGER', 1, 0)),
                'plan': (('title', 'TEXT', 1, 0),
                         ('parties', 'TEXT', 1, 0),
                         ('period', 'VARCHAR(40)', 0, 0),
                         ('adopted_on', 'VARCHAR(10)', 0, 0),
                         ('preamble', 'TEXT', 1, 0),
                         ('id', 'VARCHAR(36)', 1, 1),
                         ('updated_at', 'VARCHAR(32)', 1, 0),
                         ('updated_by', 'VARCHAR(200)', 1, 0),
                         ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'row_version': (('row_id', 'VARCHAR(36)', 1, 1),
                                ('updated_at', 'VARCHAR(32)', 1, 2),
                                ('body', 'TEXT', 0, 0),
                                ('data', 'TEXT', 0, 0)),
                'search_index': (('body', '', 0, 0), ('kind', '', 0, 0), ('row_id', '', 0, 0)),
                'search_index_config': (('k', '', 1, 1), ('v', '', 0, 0)),
                'search_index_content': (('id', 'INTEGER', 0, 1),
                                         ('c0', '', 0, 0),
                                         ('c1', '', 0, 0),
                                         ('c2', '', 0, 0)),
                'search_index_data': (('id', 'INTEGER', 0, 1), ('block', 'BLOB', 0, 0)),
                'search_index_docsize': (('id', 'INTEGER', 0, 1), ('sz', 'BLOB', 0, 0)),
                'search_index_idx': (('segid', '', 1, 1), ('term', '', 1, 2), ('pgno', '', 0, 0)),
                'source': (('title', 'TEXT', 1, 0),
                           ('outlet', 'TEXT', 1, 0),
                           ('url', 'TEXT', 1, 0),
                           ('published', 'VARCHAR(10)', 0, 0),
                           ('excerpt', 'TEXT', 1, 0),
                           ('id', 'VARCHAR(36)', 1, 1),
                           ('updated_at', 'VARCHAR(32)', 1, 0),
                           ('updated_by', 'VARCHAR(200)', 1, 0),
                           ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'source_link': (('source_id', 'VARCHAR(36)', 1, 0),
                                ('node_id', 'VARCHAR(36)', 1, 0),
                                ('quote', 'TEXT', 1, 0),
                                ('id', 'VARCHAR(36)', 1, 1),
                                ('updated_at', 'VARCHAR(32)', 1, 0),
                                ('updated_by', 'VARCHAR(200)', 1, 0),
                                ('deleted_at', 'VARCHAR(32)', 0, 0)),
                'status_change': (('id', 'VARCHAR(36)', 1, 1),
                                  ('node_id', 'VARCHAR(36)', 1, 0),
                                  ('from_status', 'VARCHAR(20)', 0, 0),
                                  ('to_status', 'VARCHAR(20)', 1, 0),
                                  ('comment', 'TEXT', 1, 0),
                                  ('changed_at', 'VARCHAR(32)', 1, 0),
                                  ('changed_by', 'VARCHAR(200)', 1, 0))},
     'triggers': {'row_version_agenda_item': 'CREATE TRIGGER row_version_agenda_item AFTER UPDATE ON '
                                             'agenda_item WHEN old.updated_at IS NOT new.updated_at BEGIN '
                                             'INSERT OR IGNORE INTO row_version (row_id, updated_at, body, '
                                             "data) VALUES (old.id, old.updated_at, NULL, json_object('id', "
                                             "old.id, 'updated_at', old.updated_at, 'updated_by', "
                                             "old.updated_by, 'deleted_at', old.deleted_at, 'meeting_id', "
                                             "old.meeting_id, 'node_id', old.node_id, 'position', "
                                             "old.position, 'points', old.points, 'objective', "
                                             'old.objective)); END',
                  'row_version_approval': 'CREATE TRIGGER row_version_approval AFTER UPDATE ON approval WHEN '
                                          'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                          'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                          "old.updated_at, NULL, json_object('id', old.id, 'updated_at', "
                                          "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                          "old.deleted_at, 'meeting_id', old.meeting_id, 'approver', "
                                          "old.approver, 'made_at', old.made_at, 'comment', old.comment, "
                                          "'content_sha256', old.content_sha256)); END",
                  'row_version_attachment': 'CREATE TRIGGER row_version_attachment AFTER UPDATE ON '
                                            'attachment WHEN old.updated_at IS NOT new.updated_at BEGIN '
                                            'INSERT OR IGNORE INTO row_version (row_id, updated_at, body, '
                                            "data) VALUES (old.id, old.updated_at, NULL, json_object('id', "
                                            "old.id, 'updated_at', old.updated_at, 'updated_by', "
                                            "old.updated_by, 'deleted_at', old.deleted_at, 'source_id', "
                                            "old.source_id, 'filename', old.filename, 'media_type', "
                                            "old.media_type, 'sha256', old.sha256, 'added_at', "
                                            'old.added_at)); END',
                  'row_version_clearance': 'CREATE TRIGGER row_version_clearance AFTER UPDATE ON clearance '
                                           'WHEN old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE '
                                           'INTO row_version (row_id, updated_at, body, data) VALUES '
                                           "(old.id, old.updated_at, NULL, json_object('id', old.id, "
                                           "'updated_at', old.updated_at, 'updated_by', old.updated_by, "
                                           "'deleted_at', old.deleted_at, 'meeting_id', old.meeting_id, "
                                           "'agenda_item_id', old.agenda_item_id, 'state', old.state, "
                                           "'clearer', old.clearer, 'made_at', old.made_at, 'comment', "
                                           "old.comment, 'content_sha256', old.content_sha256, 'content', "
                                           'old.content)); END',
                  'row_version_meeting': 'CREATE TRIGGER row_version_meeting AFTER UPDATE ON meeting WHEN '
                                         'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                         'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                         "old.updated_at, NULL, json_object('id', old.id, 'updated_at', "
                                         "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                         "old.deleted_at, 'title', old.title, 'date', old.date, 'place', "
                                         "old.place, 'participants', old.participants, 'classification', "
                                         "old.classification, 'purpose', old.purpose, 'objectives', "
                                         "old.objectives, 'press_line', old.press_line)); END",
                  'row_version_merge_conflict': 'CREATE TRIGGER row_version_merge_conflict AFTER UPDATE ON '
                                                'merge_conflict WHEN old.updated_at IS NOT new.updated_at '
                                                'BEGIN INSERT OR IGNORE INTO row_version (row_id, '
                                                'updated_at, body, data) VALUES (old.id, old.updated_at, '
                                                "NULL, json_object('id', old.id, 'updated_at', "
                                                "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                                "old.deleted_at, 'table_name', old.table_name, 'row_id', "
                                                "old.row_id, 'field', old.field, 'value', old.value, 'kept', "
                                                "old.kept, 'other_by', old.other_by, 'other_at', "
                                                "old.other_at, 'created_at', old.created_at)); END",
                  'row_version_node': 'CREATE TRIGGER row_version_node AFTER UPDATE ON node WHEN '
                                      'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                      'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                      "old.updated_at, NULL, json_object('id', old.id, 'updated_at', "
                                      "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                      "old.deleted_at, 'plan_id', old.plan_id, 'parent_id', old.parent_id, "
                                      "'kind', old.kind, 'ref', old.ref, 'position', old.position, 'title', "
                                      "old.title, 'text', old.text, 'status', old.status, 'lead_office', "
                                      "old.lead_office, 'status_changed_at', old.status_changed_at, "
                                      "'status_changed_by', old.status_changed_by, 'retired_at', "
                                      'old.retired_at)); END',
                  'row_version_note': 'CREATE TRIGGER row_version_note AFTER UPDATE ON note WHEN '
                                      'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                      'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                      "old.updated_at, old.body, json_object('id', old.id, 'updated_at', "
                                      "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                      "old.deleted_at, 'node_id', old.node_id, 'kind', old.kind, 'body', "
                                      "old.body, 'author', old.author, 'position', old.position, "
                                      "'created_at', old.created_at, 'conflict_of', old.conflict_of, "
                                      "'response', old.response, 'is_key', old.is_key)); END",
                  'row_version_plan': 'CREATE TRIGGER row_version_plan AFTER UPDATE ON plan WHEN '
                                      'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                      'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                      "old.updated_at, NULL, json_object('id', old.id, 'updated_at', "
                                      "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                      "old.deleted_at, 'title', old.title, 'parties', old.parties, 'period', "
                                      "old.period, 'adopted_on', old.adopted_on, 'preamble', old.preamble)); "
                                      'END',
                  'row_version_source': 'CREATE TRIGGER row_version_source AFTER UPDATE ON source WHEN '
                                        'old.updated_at IS NOT new.updated_at BEGIN INSERT OR IGNORE INTO '
                                        'row_version (row_id, updated_at, body, data) VALUES (old.id, '
                                        "old.updated_at, NULL, json_object('id', old.id, 'updated_at', "
                                        "old.updated_at, 'updated_by', old.updated_by, 'deleted_at', "
                                        "old.deleted_at, 'title', old.title, 'outlet', old.outlet, 'url', "
                                        "old.url, 'published', old.published, 'excerpt', old.excerpt)); END",
                  'row_version_source_link': 'CREATE TRIGGER row_version_source_link AFTER UPDATE ON '
                                             'source_link WHEN old.updated_at IS NOT new.updated_at BEGIN '
                                             'INSERT OR IGNORE INTO row_version (row_id, updated_at, body, '
                                             "data) VALUES (old.id, old.updated_at, NULL, json_object('id', "
                                             "old.id, 'updated_at', old.updated_at, 'updated_by', "
                                             "old.updated_by, 'deleted_at', old.deleted_at, 'source_id', "
                                             "old.source_id, 'node_id', old.node_id, 'quote', old.quote)); "
                                             'END'},
     'views': {}}}
)
