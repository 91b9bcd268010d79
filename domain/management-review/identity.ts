/** A management review's names: the workflow id and the evidence stream, `management-review-<id>`. */
export const MANAGEMENT_REVIEW_CATEGORY = 'management-review';
export const managementReviewWorkflowId = (reviewId: string): string => `${MANAGEMENT_REVIEW_CATEGORY}-${reviewId}`;
export const managementReviewStream = managementReviewWorkflowId;
