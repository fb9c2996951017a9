"""The car calendar on the GraphQL side (试驾车共享): its types, the week and settlement
queries, the mutations, and the private iCalendar feed served over plain HTTP (`feed`)."""
