{#- A model's grain over several columns: no two rows share all of them (a null is a value here,
    as in dbt_utils' test of the same name, so a row with a missing key part is checked too).
    Returns each repeated combination with how many rows carry it. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as rows_sharing_it
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
