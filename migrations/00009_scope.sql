-- +goose Up
-- Fair comparisons (issue 17). A figure says whose count it is: the
-- unit's own, a sum over its sub-units (a province's ten district
-- committees), or a sum over every level below it. A sum over sub-units
-- may name the figure that counts those sub-units, and any figure the
-- figure of cadres (or posts) it can be read against: denominators are
-- figures like any other, with a source and a sentence.
ALTER TABLE figures
    ADD COLUMN scope text NOT NULL DEFAULT 'own' CHECK (scope IN ('own', 'sub_units', 'all_levels')),
    ADD COLUMN sub_units_id bigint REFERENCES figures (id),
    ADD COLUMN base_id bigint REFERENCES figures (id),
    ADD CONSTRAINT figures_sub_units_scope CHECK (sub_units_id IS NULL OR scope = 'sub_units'),
    ADD CONSTRAINT figures_sub_units_self CHECK (sub_units_id IS DISTINCT FROM id),
    ADD CONSTRAINT figures_base_self CHECK (base_id IS DISTINCT FROM id);
CREATE INDEX figures_sub_units_idx ON figures (sub_units_id) WHERE sub_units_id IS NOT NULL;
CREATE INDEX figures_base_idx ON figures (base_id) WHERE base_id IS NOT NULL;

-- An indicator whose figures may serve as a denominator says which kind:
-- the sub-units a sum runs over, the cadres a committee manages, the posts.
ALTER TABLE indicators
    ADD COLUMN denominator text NOT NULL DEFAULT '' CHECK (denominator IN ('', 'sub_units', 'managed_cadres', 'posts'));

-- Units counted in administrative units (districts, communes), and the
-- measure "result": what one round produces (a year's evaluation), over
-- its period, never divided by years nor summed.
ALTER TABLE figures DROP CONSTRAINT figures_unit_check;
ALTER TABLE figures ADD CONSTRAINT figures_unit_check
    CHECK (unit IN ('persons', 'turns', 'cases', 'percent', 'documents', 'organisations', 'communes', 'units'));
ALTER TABLE indicators DROP CONSTRAINT indicators_unit_check;
ALTER TABLE indicators ADD CONSTRAINT indicators_unit_check
    CHECK (unit IN ('persons', 'turns', 'cases', 'percent', 'documents', 'organisations', 'communes', 'units'));
ALTER TABLE indicators DROP CONSTRAINT indicators_measure_check;
ALTER TABLE indicators ADD CONSTRAINT indicators_measure_check CHECK (measure IN ('flow', 'stock', 'result'));
-- Denominators are counts at a date.
ALTER TABLE indicators ADD CONSTRAINT indicators_denominator_stock CHECK (denominator = '' OR measure = 'stock');

-- Administrative units and managed cadres: context of other figures,
-- never cadre work of their own.
INSERT INTO categories (code, name_vi, name_en, measure, sort_order, context) VALUES
    ('units', 'Đơn vị, cán bộ thuộc diện quản lý', 'Units and cadres under management', 'stock', 210, true);

-- +goose Down
DELETE FROM categories WHERE code = 'units';
ALTER TABLE indicators DROP CONSTRAINT indicators_denominator_stock;
ALTER TABLE indicators DROP CONSTRAINT indicators_measure_check;
ALTER TABLE indicators ADD CONSTRAINT indicators_measure_check CHECK (measure IN ('flow', 'stock'));
ALTER TABLE indicators DROP CONSTRAINT indicators_unit_check;
ALTER TABLE indicators ADD CONSTRAINT indicators_unit_check
    CHECK (unit IN ('persons', 'turns', 'cases', 'percent', 'documents', 'organisations', 'communes'));
ALTER TABLE figures DROP CONSTRAINT figures_unit_check;
ALTER TABLE figures ADD CONSTRAINT figures_unit_check
    CHECK (unit IN ('persons', 'turns', 'cases', 'percent', 'documents', 'organisations', 'communes'));
ALTER TABLE indicators DROP COLUMN denominator;
ALTER TABLE figures DROP COLUMN base_id, DROP COLUMN sub_units_id, DROP COLUMN scope;
