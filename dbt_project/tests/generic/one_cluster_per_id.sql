{#- Every id names one cluster of this run: two clusters carrying one id would be shown as one
    event (or actor), merging what matching kept apart. Returns the ids carried by several. -#}
{% test one_cluster_per_id(model, column_name, cluster_column) %}

select
    {{ column_name }} as shared_id,
    count(distinct {{ cluster_column }}) as clusters
from {{ model }}
group by {{ column_name }}
having count(distinct {{ cluster_column }}) > 1

{% endtest %}
