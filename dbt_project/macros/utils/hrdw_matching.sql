{#- Matching building blocks (engine-specific parts dispatched). -#}

{#- Rows of (report_id, victim_position, victim_name, victim_name_original): one per victim named
    in the report's `|`-separated victim list (a report naming nobody still gives one row). -#}
{% macro hrdw_victims_of(reports_relation) -%}
    {{ return(adapter.dispatch('hrdw_victims_of', 'hrdw')(reports_relation)) }}
{%- endmacro %}
{% macro duckdb__hrdw_victims_of(reports_relation) -%}
    select
        report_id,
        victim_position,
        nullif(trim(victim_names[victim_position]), '') as victim_name,
        nullif(trim(original_names[victim_position]), '') as victim_name_original
    from (
        select
            report_id,
            string_split(coalesce(victim_name, ''), '|') as victim_names,
            string_split(coalesce(victim_name_original, ''), '|') as original_names,
            generate_subscripts(string_split(coalesce(victim_name, ''), '|'), 1) as victim_position
        from {{ reports_relation }}
    ) as positions
{%- endmacro %}

{#- Great-circle distance in km. -#}
{% macro hrdw_distance_km(lat1, lon1, lat2, lon2) -%}
    (6371.0 * 2 * asin(sqrt(
        power(sin(radians({{ lat2 }} - {{ lat1 }}) / 2), 2)
        + cos(radians({{ lat1 }})) * cos(radians({{ lat2 }})) * power(sin(radians({{ lon2 }} - {{ lon1 }}) / 2), 2)
    )))
{%- endmacro %}

{% macro hrdw_string_similarity(left, right) -%}
    {{ return(adapter.dispatch('hrdw_string_similarity', 'hrdw')(left, right)) }}
{%- endmacro %}
{% macro duckdb__hrdw_string_similarity(left, right) -%}
    jaro_winkler_similarity({{ left }}, {{ right }})
{%- endmacro %}
{% macro default__hrdw_string_similarity(left, right) -%}
    {#- Postgres: needs the pg_trgm extension's similarity(); a coarser but portable stand-in. -#}
    similarity({{ left }}, {{ right }})
{%- endmacro %}

{% macro hrdw_list_contains_all(haystack, needles) -%}
    {{ return(adapter.dispatch('hrdw_list_contains_all', 'hrdw')(haystack, needles)) }}
{%- endmacro %}
{% macro duckdb__hrdw_list_contains_all(haystack, needles) -%}
    list_has_all(string_split({{ haystack }}, ' '), string_split({{ needles }}, ' '))
{%- endmacro %}
{% macro default__hrdw_list_contains_all(haystack, needles) -%}
    (string_to_array({{ haystack }}, ' ') @> string_to_array({{ needles }}, ' '))
{%- endmacro %}

{#- Profile of each component of `components` (node_id, component_id), with `report_dates`
    (report_id, day_date): its size, first and last day-precise date, and whether the
    giant-cluster guard suspects it (more than var hrdw_max_event_reports reports, or day-precise
    dates spread over more than var hrdw_max_event_spread_days: one attack happens on one day,
    chains drift). -#}
{% macro hrdw_component_profiles(components, report_dates) -%}
    select
        components.component_id,
        count(*) as reports_in_component,
        min(report_dates.day_date) as first_day,
        max(report_dates.day_date) as last_day,
        count(*) > {{ var('hrdw_max_event_reports') }}
        or coalesce(max(report_dates.day_date) - min(report_dates.day_date), 0)
        > {{ var('hrdw_max_event_spread_days') }} as is_suspect
    from {{ components }} as components
    inner join {{ report_dates }} as report_dates on components.node_id = report_dates.report_id
    group by components.component_id
{%- endmacro %}

{#- Connected components by label propagation with pointer jumping, unrolled: each round every
    node takes the smallest label among itself and its neighbours, then jumps to its label's
    label. Converges in a few rounds on real graphs; a data test checks that no edge still joins
    two labels. `nodes` has column node_id; `edges` has node_a, node_b (undirected). Returns a
    select of (node_id, component_id). -#}
{% macro hrdw_connected_components(nodes, edges, rounds=12) -%}
    with

    undirected as (
        select node_a as node_from, node_b as node_to from {{ edges }}
        union all
        select node_b as node_from, node_a as node_to from {{ edges }}
    ),

    labels_0 as (
        select node_id, node_id as label from {{ nodes }}
    ),

    {% for round in range(1, rounds + 1) %}
    propagated_{{ round }} as (
        select
            labels.node_id,
            least(labels.label, coalesce(min(neighbours.label), labels.label)) as label
        from labels_{{ round - 1 }} as labels
        left join undirected on labels.node_id = undirected.node_from
        left join labels_{{ round - 1 }} as neighbours on undirected.node_to = neighbours.node_id
        group by labels.node_id, labels.label
    ),

    labels_{{ round }} as (
        select
            propagated.node_id,
            least(propagated.label, coalesce(jumped.label, propagated.label)) as label
        from propagated_{{ round }} as propagated
        left join propagated_{{ round }} as jumped on propagated.label = jumped.node_id
    ){% if not loop.last %},{% endif %}
    {% endfor %}

    select node_id, label as component_id from labels_{{ rounds }}
{%- endmacro %}

{#- Stable ids for clusters, for an incremental registry model keyed by `member`:
    - a cluster keeps an id its members held before (the one held longest; an id whose members
      split goes to the cluster holding most of them), so new reports joining keep the id;
    - a cluster without one gets `<prefix>` + 16 hex digits of md5 of its smallest member, so the
      same input always gives the same ids (when another cluster holds that id, of its whole
      membership instead: two clusters never share an id, see the test `one_cluster_per_id`);
    - ids held before but owned by no cluster now are retired (see the *_id_redirects models).
    `clusters` has columns (<member>, cluster_id). -#}
{% macro hrdw_stable_cluster_ids(clusters, member, prefix) -%}
with

clusters as (
    select * from {{ clusters }}
),

previous as (
    {% if is_incremental() %}
        select
            {{ member }},
            assigned_id as previous_id,
            first_assigned_at
        from {{ this }}
    {% else %}
        select
            cast(null as varchar) as {{ member }},
            cast(null as varchar) as previous_id,
            cast(null as timestamp) as first_assigned_at
        where false
    {% endif %}
),

held as (
    select
        clusters.cluster_id,
        previous.previous_id,
        min(previous.first_assigned_at) as held_since,
        count(*) as members_holding
    from clusters
    inner join previous on clusters.{{ member }} = previous.{{ member }}
    where previous.previous_id is not null
    group by clusters.cluster_id, previous.previous_id
),

owners as (
    select
        cluster_id,
        previous_id,
        held_since,
        row_number() over (partition by previous_id order by members_holding desc, cluster_id) as owner_rank
    from held
),

kept as (
    select
        cluster_id,
        previous_id as kept_id,
        row_number() over (partition by cluster_id order by held_since, previous_id) as keep_rank
    from owners
    where owner_rank = 1
),

minted_candidates as (
    {#- the fallbacks hash the whole membership with a prefix: for a one-report cluster, hashing
        its membership alone would give the first choice again -#}
    select
        cluster_id,
        '{{ prefix }}' || left(md5(min({{ member }})), 16) as first_choice,
        '{{ prefix }}' || left(md5('split|' || string_agg({{ member }}, '|' order by {{ member }})), 16)
        as second_choice,
        '{{ prefix }}' || left(md5('split again|' || string_agg({{ member }}, '|' order by {{ member }})), 16)
        as third_choice
    from clusters
    group by cluster_id
),

used_ids as (
    select distinct previous_id as used_id
    from previous
    where previous_id is not null
),

minted as (
    {#- an id held before is never minted again for another cluster (e.g. after a split, the
        smallest report of the part that lost the id): then the id comes from the cluster's whole
        membership -#}
    select
        cluster_id,
        case
            when first_choice not in (select used_id from used_ids) then first_choice
            when second_choice not in (select used_id from used_ids) then second_choice
            else third_choice
        end as minted_id
    from minted_candidates
),

assigned as (
    select
        clusters.{{ member }},
        clusters.cluster_id,
        coalesce(kept.kept_id, minted.minted_id) as assigned_id,
        previous.previous_id,
        case
            when previous.previous_id = coalesce(kept.kept_id, minted.minted_id) then previous.first_assigned_at
            else current_timestamp
        end as first_assigned_at
    from clusters
    inner join minted on clusters.cluster_id = minted.cluster_id
    left join kept on clusters.cluster_id = kept.cluster_id and kept.keep_rank = 1
    left join previous on clusters.{{ member }} = previous.{{ member }}
)

select * from assigned
{%- endmacro %}

{#- Redirects from retired ids to the id their members now carry; earlier redirects whose target
    was retired in turn are re-pointed, so one lookup always lands on a live id. -#}
{% macro hrdw_id_redirects(registry, members, member, retired_column, current_column) -%}
with

registry as (
    select registry.*
    from {{ registry }} as registry
    inner join {{ members }} as members on registry.{{ member }} = members.{{ member }}
),

live as (
    select distinct assigned_id from registry
),

newly_retired as (
    select
        previous_id as retired_id,
        min(assigned_id) as current_id
    from registry
    where
        previous_id is not null
        and previous_id <> assigned_id
        and previous_id not in (select assigned_id from live)
    group by previous_id
),

{% if is_incremental() %}
    earlier as (
        select
            earlier_redirects.{{ retired_column }} as retired_id,
            coalesce(newly_retired.current_id, earlier_redirects.{{ current_column }}) as current_id,
            earlier_redirects.retired_at
        from {{ this }} as earlier_redirects
        left join newly_retired on earlier_redirects.{{ current_column }} = newly_retired.retired_id
    ),
{% else %}
    earlier as (
        select
            cast(null as varchar) as retired_id,
            cast(null as varchar) as current_id,
            cast(null as timestamp) as retired_at
        where false
    ),
{% endif %}

redirects as (
    select
        retired_id,
        current_id,
        retired_at
    from earlier
    union all
    select
        retired_id,
        current_id,
        current_timestamp as retired_at
    from newly_retired
    where retired_id not in (select retired_id from earlier)
)

select
    retired_id as {{ retired_column }},
    current_id as {{ current_column }},
    retired_at
from redirects
{%- endmacro %}

{#- True when two lists, `separator`-separated (default `|`), share an element. -#}
{% macro hrdw_lists_overlap(left, right, separator='|') -%}
    {{ return(adapter.dispatch('hrdw_lists_overlap', 'hrdw')(left, right, separator)) }}
{%- endmacro %}
{% macro duckdb__hrdw_lists_overlap(left, right, separator='|') -%}
    list_has_any(string_split({{ left }}, '{{ separator }}'), string_split({{ right }}, '{{ separator }}'))
{%- endmacro %}
{% macro default__hrdw_lists_overlap(left, right, separator='|') -%}
    (string_to_array({{ left }}, '{{ separator }}') && string_to_array({{ right }}, '{{ separator }}'))
{%- endmacro %}

{#- The (cluster_id, target_cluster_id) pairs of `candidates` whose two clusters share a value
    of `column` in `attributes` (rows of cluster_id and that column). -#}
{% macro hrdw_candidates_sharing(candidates, attributes, column) -%}
    select distinct
        candidates.cluster_id,
        candidates.target_cluster_id
    from {{ candidates }} as candidates
    inner join {{ attributes }} as left_values on candidates.cluster_id = left_values.cluster_id
    inner join {{ attributes }} as right_values
        on
            candidates.target_cluster_id = right_values.cluster_id
            and left_values.{{ column }} = right_values.{{ column }}
{%- endmacro %}

{#- The (cluster_id, target_cluster_id) pairs of `candidates` that agree on `column` of
    `attributes`: the two clusters share a value, or either has none (a place named on one side
    only does not contradict). -#}
{% macro hrdw_candidates_agreeing(candidates, attributes, column) -%}
    select
        candidates.cluster_id,
        candidates.target_cluster_id
    from {{ candidates }} as candidates
    left join (select distinct cluster_id from {{ attributes }}) as left_values
        on candidates.cluster_id = left_values.cluster_id
    left join (select distinct cluster_id from {{ attributes }}) as right_values
        on candidates.target_cluster_id = right_values.cluster_id
    left join ({{ hrdw_candidates_sharing(candidates, attributes, column) }}) as shared
        on
            candidates.cluster_id = shared.cluster_id
            and candidates.target_cluster_id = shared.target_cluster_id
    where
        left_values.cluster_id is null
        or right_values.cluster_id is null
        or shared.cluster_id is not null
{%- endmacro %}

{#- A blocking rule between two relations (an undated report against dated ones, a month
    against the next): rows of `left_relation` whose `keys` lie in an allowed group of `blocks`
    meet the rows of `right_relation` with the same keys, from another report. The pair comes
    out ordered (left_mention_id < right_mention_id) like hrdw_blocking_rule's. -#}
{% macro hrdw_cross_blocking_rule(rule, left_relation, right_relation, keys, blocks, where=none) -%}
    select
        least(left_side.mention_id, right_side.mention_id) as left_mention_id,
        greatest(left_side.mention_id, right_side.mention_id) as right_mention_id,
        '{{ rule }}' as blocking_rule
    from {{ left_relation }} as left_side
    inner join {{ blocks }} as allowed_blocks
        on
            {% for key in keys -%}
                left_side.{{ key }} = allowed_blocks.{{ key }}{% if not loop.last %} and {% endif %}
            {%- endfor %}
    inner join {{ right_relation }} as right_side
        on
            {% for key in keys -%}
                left_side.{{ key }} = right_side.{{ key }} and
            {% endfor -%}
            left_side.report_id <> right_side.report_id
    {%- if where %}
        where {{ where }}
    {%- endif %}
{%- endmacro %}

{#- One blocking rule: pairs of mentions (smaller id first) of different reports of `relation`
    that agree on every column of `keys`; with `blocks`, only key values listed there (the
    groups small enough to pair exhaustively); `where` may test left_side and right_side. -#}
{% macro hrdw_blocking_rule(rule, relation, keys, blocks=none, where=none) -%}
    select
        left_side.mention_id as left_mention_id,
        right_side.mention_id as right_mention_id,
        '{{ rule }}' as blocking_rule
    from {{ relation }} as left_side
    {%- if blocks %}
        inner join {{ blocks }} as allowed_blocks
            on
                {% for key in keys -%}
                    left_side.{{ key }} = allowed_blocks.{{ key }}{% if not loop.last %} and {% endif %}
                {%- endfor %}
    {%- endif %}
    inner join {{ relation }} as right_side
        on
            {% for key in keys -%}
                left_side.{{ key }} = right_side.{{ key }} and
            {% endfor -%}
            left_side.mention_id < right_side.mention_id
            and left_side.report_id <> right_side.report_id
    {%- if where %}
        where {{ where }}
    {%- endif %}
{%- endmacro %}

{#- How two names compare: the one definition of name agreement, used wherever two victims'
    names are compared (int_mention_pairs_scored's name_level, which every score and the actor
    clustering read). Levels, first that holds: missing (either side anonymous or unnamed), exact
    (same sorted tokens), skeleton (same consonant skeletons: romanisations, and a Cyrillic name
    against its Latin form, agree through transliteration + skeleton), conflict (see
    hrdw_name_token_verdict: a shared token and a clearly different one on each side, e.g.
    Aleksandr Sidelnikov / Aleksandr Smirnov, Luis Antonio / Luis Carlos Peralta), subset (one
    side's skeletons all in the other's, both with 2+ strong tokens), initials (the shared tokens
    agree and the rest are initials of the other side's: "Джуматаева В.Б." / "Venera
    Djumataeva"), fuzzy / weak (Jaro-Winkler of the sorted keys, `similarity` precomputed), else
    different. `similarity`, `skeleton_subset`, `fewer_strong_tokens` and `token_verdict` (of
    hrdw_name_token_verdict) are columns computed before. -#}
{% macro hrdw_name_level(left_name_key, right_name_key, left_skeleton_key, right_skeleton_key, similarity, skeleton_subset, fewer_strong_tokens, token_verdict, either_anonymous='false') -%}
    case
        when {{ either_anonymous }} or {{ left_name_key }} is null or {{ right_name_key }} is null then 'missing'
        when {{ left_name_key }} = {{ right_name_key }} then 'exact'
        when {{ left_skeleton_key }} = {{ right_skeleton_key }} then 'skeleton'
        when {{ token_verdict }} = 'conflict' then 'conflict'
        when {{ skeleton_subset }} and {{ fewer_strong_tokens }} >= 2 then 'subset'
        when {{ token_verdict }} = 'initials' then 'initials'
        when {{ similarity }} >= 0.92 then 'fuzzy'
        when {{ similarity }} >= 0.84 then 'weak'
        else 'different'
    end
{%- endmacro %}

{#- The skeleton of one cleaned name token (as int_victim_mentions builds skeleton_key): for use
    inside list lambdas. -#}
{% macro hrdw_token_skeleton(token) -%}
    coalesce(nullif({{ hrdw_collapse_repeats(hrdw_drop_vowels(hrdw_fold_digraphs(token))) }}, ''), {{ token }})
{%- endmacro %}

{#- The skeletons of a name key's tokens, as a list in the key's order, so that a pair compares
    skeletons computed once per name rather than once per token pair. -#}
{% macro hrdw_token_skeletons(name_key) -%}
    {{ return(adapter.dispatch('hrdw_token_skeletons', 'hrdw')(name_key)) }}
{%- endmacro %}
{% macro duckdb__hrdw_token_skeletons(name_key) -%}
    list_transform(string_split({{ name_key }}, ' '), lambda token: {{ hrdw_token_skeleton('token') }})
{%- endmacro %}
{% macro default__hrdw_token_skeletons(name_key) -%}
    {{ exceptions.raise_compiler_error("hrdw_token_skeletons has no implementation for adapter " ~ adapter.type()) }}
{%- endmacro %}

{#- Whether two cleaned name tokens may be one word, given each token and its skeleton: equal, one
    consonant skeleton (Dzhumataeva / Djumataeva), one skeleton but the first letter (Shokhbekov /
    Chokhbekov), an initial and a word starting with it (V / Venera), or a spelling variant
    (Jaro-Winkler >= 0.88: Aleksandr / Alexander; not Gerry / Gerardo, Oleg / Olga, Sidelnikov /
    Smirnov). -#}
{% macro hrdw_name_tokens_agree(left_token, right_token, left_skeleton, right_skeleton) -%}
    (
        {{ left_token }} = {{ right_token }}
        or (length({{ left_token }}) = 1 and starts_with({{ right_token }}, {{ left_token }}))
        or (length({{ right_token }}) = 1 and starts_with({{ left_token }}, {{ right_token }}))
        or (
            length({{ left_token }}) > 1 and length({{ right_token }}) > 1
            and (
                {{ left_skeleton }} = {{ right_skeleton }}
                or (
                    length({{ left_token }}) >= 5 and length({{ right_token }}) >= 5
                    and substr({{ left_skeleton }}, 2) = substr({{ right_skeleton }}, 2)
                )
                or {{ hrdw_string_similarity(left_token, right_token) }} >= 0.88
            )
        )
    )
{%- endmacro %}

{#- What the token verdict counts on two names' token lists (a name key split on spaces, computed
    once per name, not inside the lambdas) and their token skeletons (hrdw_token_skeletons), as
    one struct so each count is computed once:
    - shared_words: words (2+ letters) of the left name whose skeleton is a word skeleton of the right;
    - left_unmatched / right_unmatched: tokens of one name that agree with no token of the other;
    - left_initial_used / right_initial_used: an initial of that name stands for a word of the other. -#}
{% macro hrdw_name_token_tallies(left_tokens, right_tokens, left_skeletons, right_skeletons) -%}
    {{ return(adapter.dispatch('hrdw_name_token_tallies', 'hrdw')(left_tokens, right_tokens, left_skeletons, right_skeletons)) }}
{%- endmacro %}
{% macro duckdb__hrdw_name_token_tallies(left_tokens, right_tokens, left_skeletons, right_skeletons) -%}
    {%- set lt = left_tokens -%}
    {%- set rt = right_tokens -%}
    {%- set ls = left_skeletons -%}
    {%- set rs = right_skeletons -%}
    {%- set left_positions = "range(1, len(" ~ lt ~ ") + 1)" -%}
    {%- set right_positions = "range(1, len(" ~ rt ~ ") + 1)" -%}
    {%- set agree = hrdw_name_tokens_agree(lt ~ '[l_at]', rt ~ '[r_at]', ls ~ '[l_at]', rs ~ '[r_at]') -%}
    case when {{ lt }} is not null and {{ rt }} is not null then struct_pack(
        shared_words := len(list_filter({{ left_positions }}, lambda l_at: length({{ lt }}[l_at]) > 1
            and len(list_filter({{ right_positions }}, lambda r_at: length({{ rt }}[r_at]) > 1
                and {{ ls }}[l_at] = {{ rs }}[r_at])) > 0)),
        left_unmatched := len(list_filter({{ left_positions }}, lambda l_at:
            len(list_filter({{ right_positions }}, lambda r_at: {{ agree }})) = 0)),
        right_unmatched := len(list_filter({{ right_positions }}, lambda r_at:
            len(list_filter({{ left_positions }}, lambda l_at: {{ agree }})) = 0)),
        left_initial_used := len(list_filter({{ lt }}, lambda l_init: length(l_init) = 1
            and len(list_filter({{ rt }}, lambda r_word: length(r_word) > 1 and left(r_word, 1) = l_init)) > 0)) > 0,
        right_initial_used := len(list_filter({{ rt }}, lambda r_init: length(r_init) = 1
            and len(list_filter({{ lt }}, lambda l_word: length(l_word) > 1 and left(l_word, 1) = r_init)) > 0)) > 0
    ) end
{%- endmacro %}
{% macro default__hrdw_name_token_tallies(left_tokens, right_tokens, left_skeletons, right_skeletons) -%}
    {{ exceptions.raise_compiler_error("hrdw_name_token_tallies has no implementation for adapter " ~ adapter.type()) }}
{%- endmacro %}

{#- Token-level verdict from hrdw_name_token_tallies. Given name and surname cannot be told apart
    reliably, so tokens are compared as a set:
    - 'conflict': a word (2+ letters) of one name has the same skeleton as a word of the other,
      and each name keeps a token that agrees with no token of the other (not a spelling variant,
      not an initial of it): same given name and another surname, or the reverse, are two people;
    - 'initials': a shared word, every token of one name agrees with some token of the other, and
      an initial of one name (only one: "G. Raja Sekhar" / "S. Gangadhara Raju", two people killed
      in one attack, abbreviate each other crosswise) agrees with a word of the other
      ("Джуматаева В.Б." / "Venera Djumataeva"; an unmatched patronymic initial on the initials'
      side is allowed);
    - null otherwise. -#}
{% macro hrdw_name_token_verdict(tallies) -%}
    case
        when {{ tallies }} is null or {{ tallies }}.shared_words = 0 then null
        when {{ tallies }}.left_unmatched > 0 and {{ tallies }}.right_unmatched > 0 then 'conflict'
        when
            {{ tallies }}.left_initial_used <> {{ tallies }}.right_initial_used
            and ({{ tallies }}.left_unmatched = 0 or {{ tallies }}.right_unmatched = 0) then 'initials'
    end
{%- endmacro %}

{#- The calibrated score threshold of a model ('mention': two reports are one event by the same
    victim; 'context': by the same attack; 'actor': two mentions are one person), read from the
    `match_weights` seed's rows of model 'threshold', so that calibration (bench/matching.py
    calibrate) writes weights and thresholds into one file. A var of the old name
    (hrdw_event_match_threshold, hrdw_context_match_threshold, hrdw_actor_match_threshold), e.g.
    `--vars '{hrdw_event_match_threshold: 12}'`, overrides it. Read when the model runs, after
    the seed is loaded; before that (parsing, `dbt compile` on an empty warehouse, the SQL
    linter) the SQL carries 0, and nothing runs it. -#}
{% macro hrdw_match_threshold(model) -%}
    {%- set var_names = {
        'mention': 'hrdw_event_match_threshold',
        'context': 'hrdw_context_match_threshold',
        'actor': 'hrdw_actor_match_threshold',
    } -%}
    {%- if var(var_names[model], none) is not none -%}
        {{ return(var(var_names[model]) | float) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return(0) }}
    {%- endif -%}
    {%- set seed = adapter.get_relation(database=target.database, schema='reference', identifier='match_weights') -%}
    {%- if seed is none -%}
        {{ return(0) }}
    {%- endif -%}
    {%- set found = run_query(
        "select match_weight from " ~ seed ~ " where model = 'threshold' and comparison = '" ~ model ~ "'"
    ) -%}
    {%- if found.rows | length != 1 -%}
        {{ exceptions.raise_compiler_error(
            "match_weights has " ~ (found.rows | length) ~ " threshold rows for '" ~ model
            ~ "' (model 'threshold', comparison '" ~ model ~ "'); run bench/matching.py calibrate or add one"
        ) }}
    {%- endif -%}
    {{ return(found.rows[0][0] | float) }}
{%- endmacro %}

{#- A mention pair's report pair, ordered (low_report_id, high_report_id), and its rank among the
    mention pairs of that report pair by `score_column`, best first (ties by mention ids, so the
    pick is stable): rank 1 is the pair that speaks for its two reports (review_queue shows its
    levels). Columns for the select list of a query over `pairs`. -#}
{% macro hrdw_report_pair_rank(pairs, score_column) -%}
    least({{ pairs }}.left_report_id, {{ pairs }}.right_report_id) as low_report_id,
    greatest({{ pairs }}.left_report_id, {{ pairs }}.right_report_id) as high_report_id,
    row_number() over (
        partition by
            least({{ pairs }}.left_report_id, {{ pairs }}.right_report_id),
            greatest({{ pairs }}.left_report_id, {{ pairs }}.right_report_id)
        order by
            {{ pairs }}.{{ score_column }} desc,
            {{ pairs }}.left_mention_id asc,
            {{ pairs }}.right_mention_id asc
    ) as rank_in_report_pair
{%- endmacro %}
