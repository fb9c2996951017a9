"""The shared car calendar (试驾车共享): the store's test-drive cars (sales') and backup pool
(service's), booked by both departments on one calendar. One module per noun, each importing
only those listed before it (the order is the Domain contract in pyproject.toml):

- `policy`: a store's car policy (试驾车规则): the priority windows (service on working days
  08:00–18:00, sales in the evenings, at weekends and on holidays), the advance notice, the
  turnaround after each use, the longest booking, the monthly usage fee.
- `fleet`: the cars (车辆池), their status, odometer and charge, and the per-car lock
  (`lock_cars`) that serialises every booker of a car.
- `bookings`: a car held for a department (用车预约), never two at once: the lock on both
  databases and an exclusion constraint on PostgreSQL; the rules a new booking is checked
  against (notice, times, the car's state, overlaps), who a booking belongs to
  (`booking_subject`) and the week view.
- `settlement`: the monthly statement (月度结算): the usage fee, damage charged to the
  department that used the car, utilisation and loaner fulfilment.
- `feeds`: the private calendar address (日历订阅): a user's bookings and task deadlines, for
  the phone's calendar app (written as iCalendar by `baton.api.cars.feed`).

The steps that change them (book, preempt, request a loaner, check out, return, turn around)
are journeys, in `baton.domain.journeys.cars`. Import the submodules directly."""
