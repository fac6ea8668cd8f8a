import {
  decideApproval,
  latestVerdictPerReviewer,
  type ReviewSignal,
} from "../../../handlers/ci-feedback/approval";

const HEAD = "a".repeat(40);
const OLD = "b".repeat(40);

let nextId = 1;
function review(
  login: string | null,
  state: string,
  options: { commitId?: string | null; minute?: number; isBot?: boolean } = {},
): ReviewSignal {
  const id = nextId++;
  return {
    id,
    login,
    isBot: options.isBot ?? false,
    state,
    commitId: options.commitId === undefined ? HEAD : options.commitId,
    submittedAt:
      state === "PENDING"
        ? null
        : new Date(Date.UTC(2026, 11, 1, 12, options.minute ?? id)).toISOString(),
  };
}

const writers = new Set(["maya", "omar", "lee"]);
const required = { required: true, headSha: HEAD };
const optional = { required: false, headSha: HEAD };

function decide(reviews: ReviewSignal[], rule = required, who: ReadonlySet<string> = writers) {
  return decideApproval(latestVerdictPerReviewer(reviews), who, rule);
}

describe("latest review per reviewer (GitHub's rule)", () => {
  it("a later COMMENTED review does not undo an approval", () => {
    expect(
      latestVerdictPerReviewer([review("maya", "APPROVED"), review("maya", "COMMENTED")]),
    ).toEqual([{ login: "maya", state: "APPROVED", commitId: HEAD }]);
  });

  it("a DISMISSED review withdraws that person's verdict", () => {
    expect(
      latestVerdictPerReviewer([review("maya", "CHANGES_REQUESTED"), review("maya", "DISMISSED")]),
    ).toEqual([]);
  });

  it("orders by submission time, not by list position; PENDING reviews are not submitted", () => {
    const approvedLater = review("maya", "APPROVED", { minute: 30 });
    const requestedEarlier = review("maya", "CHANGES_REQUESTED", { minute: 10 });
    const pending = review("maya", "PENDING");
    expect(latestVerdictPerReviewer([approvedLater, requestedEarlier, pending])).toEqual([
      { login: "maya", state: "APPROVED", commitId: HEAD },
    ]);
  });

  it("bots (the App itself included) and deleted accounts have no verdict", () => {
    expect(
      latestVerdictPerReviewer([
        review("afu9-codefactory[bot]", "APPROVED", { isBot: true }),
        review(null, "APPROVED"),
      ]),
    ).toEqual([]);
  });
});

describe("decideApproval", () => {
  it("requireApproval and no review: missing", () => {
    expect(decide([])).toEqual({
      state: "missing",
      required: true,
      approvedBy: [],
      changesRequestedBy: [],
      staleApprovalsBy: [],
    });
  });

  it("an approval of the current head by a writer opens the gate", () => {
    expect(decide([review("maya", "APPROVED")])).toMatchObject({
      state: "approved",
      approvedBy: ["maya"],
    });
  });

  it("an approval by someone without write permission does not count", () => {
    expect(decide([review("visitor", "APPROVED")])).toMatchObject({
      state: "missing",
      approvedBy: [],
    });
  });

  it("an approval of an older commit does not count for the current head, and is named", () => {
    expect(decide([review("maya", "APPROVED", { commitId: OLD })])).toMatchObject({
      state: "missing",
      approvedBy: [],
      staleApprovalsBy: ["maya"],
    });
  });

  it("changes requested blocks even beside another writer's approval", () => {
    expect(decide([review("omar", "CHANGES_REQUESTED"), review("maya", "APPROVED")])).toEqual({
      state: "changes-requested",
      required: true,
      approvedBy: ["maya"],
      changesRequestedBy: ["omar"],
      staleApprovalsBy: [],
    });
  });

  it("changes requested on an older commit still blocks; the same person's later approval lifts it", () => {
    const requested = review("omar", "CHANGES_REQUESTED", { commitId: OLD });
    expect(decide([requested]).state).toBe("changes-requested");
    expect(decide([requested, review("omar", "APPROVED")])).toMatchObject({
      state: "approved",
      approvedBy: ["omar"],
      changesRequestedBy: [],
    });
  });

  it("without requireApproval nothing is missing, but changes requested still blocks", () => {
    expect(decide([], optional).state).toBe("not-required");
    expect(decide([review("visitor", "CHANGES_REQUESTED")], optional).state).toBe("not-required");
    expect(decide([review("lee", "CHANGES_REQUESTED")], optional)).toMatchObject({
      state: "changes-requested",
      required: false,
      changesRequestedBy: ["lee"],
    });
  });

  it("a dismissed changes request no longer blocks, a dismissed approval no longer counts", () => {
    expect(decide([review("lee", "CHANGES_REQUESTED"), review("lee", "DISMISSED")]).state).toBe(
      "missing",
    );
    expect(decide([review("maya", "APPROVED"), review("maya", "DISMISSED")], optional).state).toBe(
      "not-required",
    );
  });
});
