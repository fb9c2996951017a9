import { mutationErrors } from '../../lib/error-fragments';
import { graphql, type ResultOfOp } from '../../lib/graphql';

export const CarWeekQuery = graphql(`
  query CarWeek($start: Date, $days: Int) {
    carWeek(start: $start, days: $days) {
      store { id name timeZone }
      policy { serviceWindowStart serviceWindowEnd openingStart openingEnd advanceDays turnaroundMinutes }
      days { date isHoliday serviceWindow { startsAt endsAt } }
      cars { id plate model pool status odometerKm chargePercent viewerCan }
      bookings {
        id department status startsAt endsAt blockedUntil shortNotice purpose version viewerCan
        car { id }
        bookedBy { id displayName }
        customer { id name }
        use { odometerOutKm returnedAt damageYuan }
        notes { kind reason fromPlate toPlate }
      }
    }
  }
`);

/** The week view's data: Cars.tsx shows it; BookSlots, BookingActions, UseForm, TurnaroundForm act on it. */
export type Week = ResultOfOp<typeof CarWeekQuery>['carWeek'];
export type Car = Week['cars'][number];
export type Booking = Week['bookings'][number];
export type Day = Week['days'][number];

export const BookCarMutation = graphql(
  `
  mutation BookCar($input: BookCarInput!) {
    bookCar(input: $input) {
      __typename
      ... on CarBookingSuccess { booking { id } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const PreemptBookingMutation = graphql(
  `
  mutation PreemptBooking($input: PreemptBookingInput!) {
    preemptBooking(input: $input) {
      __typename
      ... on CarBookingSuccess { booking { id } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const CheckOutCarMutation = graphql(
  `
  mutation CheckOutCar($input: CheckOutCarInput!) {
    checkOutCar(input: $input) {
      __typename
      ... on CarUseSuccess { car { id status } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const ReturnCarMutation = graphql(
  `
  mutation ReturnCar($input: ReturnCarInput!) {
    returnCar(input: $input) {
      __typename
      ... on CarUseSuccess { car { id status } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const RecordTurnaroundMutation = graphql(
  `
  mutation RecordCarTurnaround($input: RecordCarTurnaroundInput!) {
    recordCarTurnaround(input: $input) {
      __typename
      ... on CarSuccess { car { id status } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const CarSettlementQuery = graphql(`
  query CarSettlement($month: String!) {
    carSettlement(month: $month) {
      month usageFeeYuan usageTotalYuan servicePaysSalesYuan
      utilisation salesUtilisation serviceUtilisation
      loanerRequests loanersBooked loanerFulfilment
      feeCars
      damages { carPlate returnedAt chargedTo payableTo amountYuan note }
      cars { car { id plate pool } bookedHours availableHours rate }
      csv
    }
  }
`);
