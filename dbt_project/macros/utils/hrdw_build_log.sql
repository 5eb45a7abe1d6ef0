{#- The build log: one row per dbt invocation that may write the warehouse, written by the
    project's on-run-start and on-run-end hooks into hrdw_ops.dbt_invocations. The publish step
    reads it to prove that the marts it copies were written by the build whose results it checked
    (publish/quality.py): a build killed half-way leaves its row without finished_at, so a
    snapshot never goes out on an earlier build's results. The Python side (orchestration.dbt) passes
    the sources built and left out as vars hrdw_sources_built / hrdw_source_notes. -#}

{#- What narrows an invocation to part of the project: --select, --exclude, --resource-type, and
    --exclude-resource-type other than unit_test (the nightly build leaves dbt's unit tests, tests
    of the code rather than of the data, to CI). Empty for a whole build. -#}
{% macro hrdw_build_log_selection(args) -%}
    {%- set parts = [] -%}
    {%- for key in ['select', 'exclude', 'resource_types'] -%}
        {%- for item in (args.get(key) or []) -%}
            {%- do parts.append(key ~ ':' ~ item) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for item in (args.get('exclude_resource_types') or []) if item != 'unit_test' -%}
        {%- do parts.append('exclude_resource_types:' ~ item) -%}
    {%- endfor -%}
    {{ return(parts | join(' ')) }}
{%- endmacro %}

{% macro hrdw_build_log_start() -%}
    {%- set args = invocation_args_dict -%}
    create schema if not exists hrdw_ops;
    create table if not exists hrdw_ops.dbt_invocations (
        sequence_number integer,
        invocation_id varchar,
        command varchar,
        selection varchar,
        started_at timestamp,
        finished_at timestamp,
        failed_nodes integer,
        sources_built varchar,
        source_notes varchar
    );
    {#- invocations are ordered by this number, never by clock time: two processes in different
        time zones (or one across a daylight-saving change) record current_timestamp differently -#}
    insert into hrdw_ops.dbt_invocations
        (sequence_number, invocation_id, command, selection, started_at, sources_built, source_notes)
    select
        coalesce(max(sequence_number), 0) + 1,
        '{{ invocation_id }}',
        {{ hrdw_sql_string(args.get('which', '')) }},
        {{ hrdw_sql_string(hrdw_build_log_selection(args)) }},
        cast(current_timestamp as timestamp),
        {{ hrdw_sql_string(var('hrdw_sources_built', []) | tojson) }},
        {{ hrdw_sql_string(var('hrdw_source_notes', {}) | tojson) }}
    from hrdw_ops.dbt_invocations
{%- endmacro %}

{% macro hrdw_build_log_end(results) -%}
    {%- set failed = results | selectattr('status', 'in', ['error', 'fail', 'runtime error']) | list -%}
    update hrdw_ops.dbt_invocations
    set finished_at = cast(current_timestamp as timestamp), failed_nodes = {{ failed | length }}
    where invocation_id = '{{ invocation_id }}'
{%- endmacro %}
