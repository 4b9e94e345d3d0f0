{#-
    Closed code lists: fails with every non-NULL value of the column that is not a code of `domain` in the
    vocabulary seed (vocabulary.csv: input_format, parse_status, severity, extraction_method), the same rows the
    parser's enums are built from (ingestion.catalogue.enums). The values are never repeated in YAML.
    Usage (column level):
        data_tests:
          - in_vocabulary:
              arguments:
                domain: parse_status
-#}
{% test in_vocabulary(model, column_name, domain) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
  and {{ column_name }} not in (
      select code from {{ ref('vocabulary') }} where domain = '{{ domain }}'
  )

{% endtest %}
