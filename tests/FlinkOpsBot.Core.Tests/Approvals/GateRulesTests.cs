using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Tests.Lifecycle;

namespace FlinkOpsBot.Core.Tests.Approvals;

public class GateRulesTests
{
    private static readonly Actor Bo = new("slack", "T1", "U2", "bo");

    private static Run AwaitingRun(bool selfApproval = false, params string[] approvers)
    {
        var run = RunLifecycleTests.NewRun();
        run.State = RunState.AwaitingApproval;
        run.Gate = new GateSnapshot(1, selfApproval, approvers, DateTimeOffset.MaxValue, null);
        return run;
    }

    [Fact]
    public void Refusal_OtherPersonApproves_IsAllowed() => Assert.Null(GateRules.Refusal(AwaitingRun(), Bo, GateAction.Approve));

    [Fact]
    public void Refusal_RequesterApprovesWithoutSelfApproval_SaysAnotherApproverMust()
    {
        var run = AwaitingRun();

        Assert.Contains("another approver must approve", GateRules.Refusal(run, run.Requester, GateAction.Approve));
    }

    [Fact]
    public void Refusal_RequesterApprovesWithSelfApproval_IsAllowed()
    {
        var run = AwaitingRun(selfApproval: true);

        Assert.Null(GateRules.Refusal(run, run.Requester, GateAction.Approve));
    }

    [Fact]
    public void Refusal_NotListedApprover_NamesTheApprovers() =>
        Assert.EndsWith("needs U9; that is not you.", GateRules.Refusal(AwaitingRun(false, "U9"), Bo, GateAction.Approve));

    [Theory]
    [InlineData("U2")]
    [InlineData("slack:U2")]
    [InlineData("slack:T1:U2")]
    public void Refusal_ListedApproverByIdOrKey_IsAllowed(string entry) => Assert.Null(GateRules.Refusal(AwaitingRun(false, entry), Bo, GateAction.Approve));

    [Fact]
    public void Refusal_DisplayNameOfApprover_DoesNotCount() =>
        Assert.NotNull(GateRules.Refusal(AwaitingRun(false, "bo"), Bo with { Id = "U7" }, GateAction.Approve));

    [Fact]
    public void Refusal_SecondApprovalBySamePerson_IsRefused()
    {
        var run = AwaitingRun();
        run.Approvals.Add(new Approval(Bo with { DisplayName = "someone else" }, DateTimeOffset.UnixEpoch));

        Assert.Contains("already approved", GateRules.Refusal(run, Bo, GateAction.Approve));
    }

    [Fact]
    public void Refusal_EndedRun_SaysHowItEnded()
    {
        var run = AwaitingRun();
        run.State = RunState.Succeeded;
        run.EndedAt = new DateTimeOffset(2026, 1, 1, 14, 2, 0, TimeSpan.Zero);

        Assert.Equal($"{run.Id} already ended: Succeeded at 14:02 UTC.", GateRules.Refusal(run, Bo, GateAction.Approve));
    }

    [Fact]
    public void Refusal_CancelByOtherPerson_IsRefused() => Assert.Contains("Only the requester", GateRules.Refusal(AwaitingRun(), Bo, GateAction.Cancel));

    [Fact]
    public void Refusal_CancelWhileExecuting_IsRefused()
    {
        var run = AwaitingRun();
        run.State = RunState.Executing;

        Assert.Contains("cannot be cancelled", GateRules.Refusal(run, run.Requester, GateAction.Cancel));
    }
}
