{#- Comparison levels for every candidate pair, and three scores from the calibrated
    `match_weights` seed (log2 of m/u per level; see bench/matching.py calibrate), each the sum of
    its model's weights:
    - event_score (mention model): the two mentions name the same victim in the same attack; the
      same person attacked twice does not score high (the dates differ);
    - context_score: the same attack whoever it names (no name comparison);
    - actor_score: name, country and organisation only; the same person across events. -#}
{%- set models = {
    'mention': ['name', 'date', 'country', 'place', 'violation', 'organization', 'perpetrator', 'date_place'],
    'context': ['date', 'country', 'place', 'violation', 'organization', 'perpetrator', 'date_place'],
    'actor': ['name', 'country', 'organization'],
} -%}
{%- set column_suffix = {'mention': '_weight', 'context': '_context_weight', 'actor': '_actor_weight'} -%}
with

pairs as (
    select * from {{ ref('int_mention_pairs') }}
),

mentions as (
    select * from {{ ref('int_victim_mentions') }}
),

weights as (
    select * from {{ ref('match_weights') }}
),

name_token_skeletons as (
    {#- once per name, not once per pair: the skeletons and the initial check are regular-expression work -#}
    select distinct
        name_key,
        {{ hrdw_split_to_list('name_key', ' ') }} as name_tokens,
        {{ hrdw_token_skeletons('name_key') }} as token_skeletons,
        {{ hrdw_regex_match('name_key', '(^| )[^ ]( |$)') }} as has_initial
    from mentions
    where name_key is not null
),

joined as (
    select
        pairs.left_mention_id,
        pairs.right_mention_id,
        pairs.blocking_rules,
        left_side.report_id as left_report_id,
        right_side.report_id as right_report_id,
        left_side.name_key as left_name_key,
        right_side.name_key as right_name_key,
        left_side.skeleton_key as left_skeleton_key,
        right_side.skeleton_key as right_skeleton_key,
        left_skeletons.name_tokens as left_name_tokens,
        right_skeletons.name_tokens as right_name_tokens,
        left_skeletons.token_skeletons as left_token_skeletons,
        right_skeletons.token_skeletons as right_token_skeletons,
        left_side.event_date as left_date,
        right_side.event_date as right_date,
        left_side.event_date_precision as left_precision,
        right_side.event_date_precision as right_precision,
        left_side.reported_at as left_reported_at,
        right_side.reported_at as right_reported_at,
        left_side.source_reliability_rank as left_reliability_rank,
        right_side.source_reliability_rank as right_reliability_rank,
        left_side.country_code as left_country,
        right_side.country_code as right_country,
        left_side.city_key as left_city,
        right_side.city_key as right_city,
        left_side.latitude as left_latitude,
        left_side.longitude as left_longitude,
        right_side.latitude as right_latitude,
        right_side.longitude as right_longitude,
        left_side.coordinates_precision as left_coordinates_precision,
        right_side.coordinates_precision as right_coordinates_precision,
        left_side.violation_type_codes as left_violations,
        right_side.violation_type_codes as right_violations,
        left_side.violation_categories as left_violation_categories,
        right_side.violation_categories as right_violation_categories,
        left_side.organization_key as left_organization,
        right_side.organization_key as right_organization,
        left_side.perpetrator_type as left_perpetrator,
        right_side.perpetrator_type as right_perpetrator,
        coalesce(left_side.event_date_latest, left_side.event_date) as left_date_latest,
        coalesce(right_side.event_date_latest, right_side.event_date) as right_date_latest,
        left_side.is_anonymous or right_side.is_anonymous as either_anonymous,
        coalesce(left_skeletons.has_initial or right_skeletons.has_initial, false) as either_has_initial,
        left_side.event_date_is_qualified or right_side.event_date_is_qualified as either_date_qualified,
        least(left_side.strong_token_count, right_side.strong_token_count) as fewer_strong_tokens,
        -- THE person-page rule's input, stated once: both mentions are the one CPJ person page
        -- (shared_identifier); int_actor_clusters and int_event_links decide what that makes them
        coalesce(left_side.shared_identifier = right_side.shared_identifier, false) as same_person_record
    from pairs
    inner join mentions as left_side on pairs.left_mention_id = left_side.mention_id
    inner join mentions as right_side on pairs.right_mention_id = right_side.mention_id
    left join name_token_skeletons as left_skeletons on left_side.name_key = left_skeletons.name_key
    left join name_token_skeletons as right_skeletons on right_side.name_key = right_skeletons.name_key
),

measured as (
    select
        *,
        -- the gap between the days each report allows ("June 7 or 8" allows two): 0 when they share one
        case
            when left_date is null or right_date is null then null
            when left_date > right_date_latest then left_date - right_date_latest
            when right_date > left_date_latest then right_date - left_date_latest
            else 0
        end as days_apart,
        -- one report gives no event date but was received on a known day: how long before that
        -- day the other report dates the event (the event happened on or before it)
        case
            when left_date is null and right_date is not null then left_reported_at - right_date
            when right_date is null and left_date is not null then right_reported_at - left_date
        end as days_before_report,
        case
            when left_latitude is not null and right_latitude is not null
                then {{ hrdw_distance_km('left_latitude', 'left_longitude', 'right_latitude', 'right_longitude') }}
        end as distance_km,
        {{ hrdw_string_similarity('left_name_key', 'right_name_key') }} as name_similarity,
        {{ hrdw_string_similarity('left_organization', 'right_organization') }} as organization_similarity,
        case
            when length(left_skeleton_key) <= length(right_skeleton_key)
                then {{ hrdw_list_contains_all('right_skeleton_key', 'left_skeleton_key') }}
            else {{ hrdw_list_contains_all('left_skeleton_key', 'right_skeleton_key') }}
        end as skeleton_subset
    from joined
),

name_tallies as (
    {#- the token comparison is costly (at 100,000 reports half the candidate pairs share a word)
        and only changes a level the pair would link at otherwise: names that differ, share a
        token skeleton and look alike as a whole (weak or better), are a skeleton subset, or
        carry an initial. Elsewhere the names are 'different', which weighs what 'conflict'
        weighs and links nothing either. -#}
    select
        *,
        case
            when
                left_name_key <> right_name_key
                and {{ hrdw_lists_overlap('left_skeleton_key', 'right_skeleton_key', ' ') }}
                and (
                    name_similarity >= 0.84
                    or (skeleton_subset and fewer_strong_tokens >= 2)
                    or either_has_initial
                )
                then {{ hrdw_name_token_tallies(
                    'left_name_tokens', 'right_name_tokens', 'left_token_skeletons', 'right_token_skeletons'
                ) }}
        end as name_token_tallies
    from measured
),

name_verdicts as (
    select
        *,
        {{ hrdw_name_token_verdict('name_token_tallies') }} as name_token_verdict
    from name_tallies
),

base_levels as (
    select
        left_mention_id,
        right_mention_id,
        left_report_id,
        right_report_id,
        blocking_rules,
        same_person_record,
        days_apart,
        days_before_report,
        -- both from curated sources (reliability: high, e.g. CPJ's database), which record the day
        -- of the attack rather than of the report, and those days differ; not when either source
        -- qualifies its day ("On or after March 30", "June 7 or 8")
        coalesce(
            left_reliability_rank = 1 and right_reliability_rank = 1
            and left_precision = 'day' and right_precision = 'day' and days_apart > 0
            and not either_date_qualified,
            false
        ) as verified_days_differ,
        distance_km,
        name_similarity,
        {{ hrdw_name_level(
            'left_name_key', 'right_name_key', 'left_skeleton_key', 'right_skeleton_key', 'name_similarity',
            'skeleton_subset', 'fewer_strong_tokens', 'name_token_verdict', either_anonymous='either_anonymous'
        ) }} as name_level,
        case
            when (left_date is null or right_date is null) and days_before_report is not null
                then
                    case
                        when days_before_report < -1 then 'after_report'
                        when days_before_report <= 31 then 'month_before_report'
                        when days_before_report <= 183 then 'months_before_report'
                        else 'long_before_report'
                    end
            when left_date is null or right_date is null then 'missing'
            when left_precision = 'day' and right_precision = 'day'
                then
                    case
                        when days_apart = 0 then 'same_day'
                        when days_apart <= 3 then 'within_3d'
                        when days_apart <= 14 then 'within_2w'
                        when days_apart <= 62 then 'within_2m'
                        when days_apart <= 366 then 'within_year'
                        else 'far'
                    end
            when
                (left_precision = 'month' or right_precision = 'month')
                and left_precision in ('day', 'month') and right_precision in ('day', 'month')
                then case
                    when date_trunc('month', left_date) = date_trunc('month', right_date)
                        then 'compatible_coarse'
                    when days_apart <= 62 then 'within_2m'
                    else 'far'
                end
            when extract(year from left_date) = extract(year from right_date) then 'compatible_coarse'
            else 'far'
        end as date_level,
        case
            when left_country is null or right_country is null then 'missing'
            when left_country = right_country then 'same'
            else 'different'
        end as country_level,
        case
            -- two precise pins in one city 2 km or more apart are two spots (two events on one
            -- day in one city); a city-centre pin (precision 'place') says nothing of the spot
            when
                distance_km > 2 and distance_km <= 25
                and left_coordinates_precision = 'point' and right_coordinates_precision = 'point'
                then 'apart'
            when distance_km is not null and distance_km <= 25 then 'near'
            when left_city is not null and right_city is not null and left_city = right_city then 'same_city'
            when distance_km is not null and distance_km > 100 then 'far'
            when
                left_city is not null and right_city is not null
                and {{ hrdw_string_similarity('left_city', 'right_city') }} < 0.8 then 'far'
            when left_city is not null and right_city is not null then 'same_city'
            else 'missing'
        end as place_level,
        case
            when
                left_violations is null or right_violations is null
                or left_violations = 'unclassified' or right_violations = 'unclassified' then 'missing'
            when left_violations = right_violations then 'overlap'
            when {{ hrdw_lists_overlap('left_violations', 'right_violations') }} then 'overlap'
            when {{ hrdw_lists_overlap('left_violation_categories', 'right_violation_categories') }} then 'compatible'
            else 'different'
        end as violation_level,
        case
            when
                left_organization is null or right_organization is null
                or left_organization = '' or right_organization = '' then 'missing'
            when organization_similarity >= 0.9 then 'same'
            else 'different'
        end as organization_level,
        case
            when
                coalesce(left_perpetrator, 'unknown') = 'unknown'
                or coalesce(right_perpetrator, 'unknown') = 'unknown' then 'missing'
            when left_perpetrator = right_perpetrator then 'same'
            else 'different'
        end as perpetrator_level
    from name_verdicts
),

levels as (
    {#- an interaction: "same day and same city" is more than the sum of its parts (and "same
        year, same city" less); the jointly fitted weights price the combination itself -#}
    select
        *,
        date_level || '&' || place_level as date_place_level
    from base_levels
),

scored as (
    select
        levels.*,
        {%- for model, comparisons in models.items() %}
            {%- for comparison in comparisons %}
                coalesce({{ model }}_{{ comparison }}.match_weight, 0) as {{ comparison ~ column_suffix[model] }}
                {%- if not (loop.last and model == 'actor') %},{% endif %}
            {%- endfor %}
        {%- endfor %}
    from
        levels
    {%- for model, comparisons in models.items() %}
        {%- for comparison in comparisons %}
            left join weights as {{ model }}_{{ comparison }}
                on
                    {{ model }}_{{ comparison }}.model = '{{ model }}'
                    and {{ model }}_{{ comparison }}.comparison = '{{ comparison }}'
                    and levels.{{ comparison }}_level = {{ model }}_{{ comparison }}.level
        {%- endfor %}
    {%- endfor %}
),

totals as (
    select
        *,
        {% for comparison in models['mention'] -%}
            {{ comparison }}_weight{% if not loop.last %} + {% endif %}
        {%- endfor %} as event_score,
        {% for comparison in models['context'] -%}
            {{ comparison }}_context_weight{% if not loop.last %} + {% endif %}
        {%- endfor %} as context_score,
        {% for comparison in models['actor'] -%}
            {{ comparison }}_actor_weight{% if not loop.last %} + {% endif %}
        {%- endfor %} as actor_score
    from scored
),

final as (
    select
        *,
        {#- A veto, not a weight: dates far apart (both known) are never one attack, however alike
            the rest is; this is what keeps the same person attacked twice as two events. -#}
        date_level <> 'far' as event_link_allowed,
        {#- Vetoes for context links (reports naming different victims), found on the calibration
            seed: a different perpetrator type or violation types that do not overlap mean two
            attacks, however close in time and place; so do two different days recorded by two
            curated sources (found on the real CPJ files: killings in Gaza on consecutive days). -#}
        date_level <> 'far' and violation_level = 'overlap' and perpetrator_level <> 'different'
        and not verified_days_differ as context_link_allowed,
        event_score as score,
        1.0 / (1.0 + power(2.0, -(event_score + {{ var('hrdw_prior_log2_odds') }}))) as match_probability
    from totals
)

select * from final
