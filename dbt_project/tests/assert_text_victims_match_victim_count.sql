{{ config(severity='warn') }}
{#- Reports whose victims were read from text, where the number of victims read differs from the
    number the source counts (Uwazi's Impact of Event): a name the patterns missed, a name read by
    mistake, or victims the text does not name ("7 journalists detained"). A warning: the text is
    kept and the report still reaches matching; the rows say which records to look at. -#}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

text_victims as (
    select * from {{ ref('int_victims_from_text') }}
),

texts as (
    {{ hrdw_victim_texts('reports') }}
),

victims_read as (
    select
        texts.report_id,
        count(distinct text_victims.victim_position) as victims_read
    from (select distinct report_id from texts) as texts
    left join text_victims on texts.report_id = text_victims.report_id
    group by texts.report_id
),

compared as (
    select
        reports.report_id,
        reports.source_file,
        reports.source_row,
        reports.victim_count,
        victims_read.victims_read
    from victims_read
    inner join reports on victims_read.report_id = reports.report_id
    where reports.victim_count is not null and reports.victim_count <> victims_read.victims_read
)

select * from compared
