import { graphql, type ResultOfOp } from '../../lib/graphql';

export const TIMELINE_PAGE = 20;

/** One entry of the timeline: the first page (with the record) and every later page. */
export const TimelineEventFields = graphql(`
  fragment TimelineEventFields on TimelineEvent {
    id
    at
    kind
    department
    summary
    actor { displayName }
  }
`);

/** The learning archive with the record, so it is on the phone (offline) wherever the record is. */
export const LearningFields = graphql(`
  fragment LearningFields on Customer {
    learningProgress { mastered total stage }
    teachNext(first: 5) {
      topic { id name }
      highest { level }
      skipped { skipReason at by { displayName } }
    }
    learningArchive(first: 50) {
      edges {
        node {
          topic { id name retired }
          mastered
          refreshers
          highest { level at by { displayName } }
          latest { level at by { displayName } }
          skipped { skipReason note: skipNote at by { displayName } }
        }
      }
    }
    learningCatalogue { id name stage }
  }
`);

/** Everything the 360 shows, plus the first page of the timeline: one request, one cached copy. */
export const CustomerRecordQuery = graphql(
  `
  query CustomerRecord($id: ID!, $timelineFirst: Int!) {
    customer(id: $id) {
      id
      name
      phone
      address
      tags
      isHighPriority
      version
      specialCircumstances { id kind note startsOn endsOn }
      openPromises {
        id
        category
        description
        due
        dueOn
        status
        deferredTo
        entitlementTotal
        entitlementUsed
        entitlementRemaining
        entitlementValidUntil
      }
      vehicles { id vin plate modelName }
      orders { id modelName status plannedDeliveryDate createdAt }
      deliveries { id status scheduledAt completedAt order { modelName } }
      serviceVisits(first: 10) {
        id
        checkedInAt
        mileageKm
        complaint
        status
        vehicle { plate modelName }
        advisor { displayName }
        entitlementUses { id promise { id } }
      }
      timeline(first: $timelineFirst) {
        edges { node { ...TimelineEventFields } }
        pageInfo { hasNextPage endCursor }
      }
      ...LearningFields
    }
  }
`,
  [TimelineEventFields, LearningFields],
);

/** One customer's record as the record screen and the screens it opens read it. */
export type CustomerRecord = NonNullable<ResultOfOp<typeof CustomerRecordQuery>['customer']>;

export const TimelinePageQuery = graphql(
  `
  query TimelinePage($id: ID!, $first: Int!, $after: String) {
    customer(id: $id) {
      id
      timeline(first: $first, after: $after) {
        edges { node { ...TimelineEventFields } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`,
  [TimelineEventFields],
);

/** The record's variables, one place for the screen and for sending it early (App). */
export function customerRecordVariables(id: string) {
  return { id, timelineFirst: TIMELINE_PAGE };
}

export function customerKey(id: string): string {
  return `customer:${id}`;
}
