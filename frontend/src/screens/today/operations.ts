import { mutationErrors } from '../../lib/error-fragments';
import { graphql } from '../../lib/graphql';

export const MyTasksQuery = graphql(`
  query MyTasks {
    myTasks {
      overdue { ...TodayTask }
      today { ...TodayTask }
      upcoming { ...TodayTask }
    }
  }

  fragment TodayTask on Task {
    id
    kind
    subject
    dueAt
    version
    details
    customer { id name isHighPriority tags }
  }
`);

export const InWorkshopTodayQuery = graphql(`
  query InWorkshopToday {
    inWorkshopToday {
      visit {
        id
        checkedInAt
        complaint
        status
        vehicle { plate modelName }
      }
      customer { id name isHighPriority tags }
    }
  }
`);

export const CompleteTaskMutation = graphql(
  `
  mutation CompleteTask($input: CompleteTaskInput!) {
    completeTask(input: $input) {
      __typename
      ... on CompleteTaskSuccess { task { id state } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);
