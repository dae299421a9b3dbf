using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Tests.Engine;
using FlinkOpsBot.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlinkOpsBot.Core.Tests.Commands;

public sealed class DedupingCommandServiceTests
{
    private const string Key = "slack:T1:cmd:trigger-1";
    private readonly ManualTimeProvider _clock = new();
    private readonly CountingService _inner = new();
    private readonly InMemoryDeliveryLog _log;
    private readonly DedupingCommandService _service;

    public DedupingCommandServiceTests()
    {
        _log = new InMemoryDeliveryLog(_clock);
        _service = new DedupingCommandService(_inner, _log, _clock, NullLogger<DedupingCommandService>.Instance);
    }

    [Fact]
    public async Task HandleAsync_SameKeyTwice_HandledOnceAndTheDuplicateGetsTheFirstReply()
    {
        var first = await _service.HandleAsync(Command(Key), CancellationToken.None);
        var second = await _service.HandleAsync(Command(Key), CancellationToken.None);

        Assert.Equal(1, _inner.Calls);
        Assert.False(first.IsDuplicate);
        Assert.True(second.IsDuplicate);
        Assert.Equal((first.Text, first.Visibility, first.RunId, first.Accepted), (second.Text, second.Visibility, second.RunId, second.Accepted));
    }

    [Fact]
    public async Task HandleAsync_NoKey_AlwaysHandled()
    {
        await _service.HandleAsync(Command(null), CancellationToken.None);
        await _service.HandleAsync(Command(null), CancellationToken.None);

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task HandleAsync_DifferentKeys_EachHandled()
    {
        await _service.HandleAsync(Command(Key), CancellationToken.None);
        await _service.HandleAsync(Command(Key + "-2"), CancellationToken.None);

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task HandleAsync_SameKeyAfterTheWindow_HandledAgain()
    {
        await _service.HandleAsync(Command(Key), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(14));
        Assert.True((await _service.HandleAsync(Command(Key), CancellationToken.None)).IsDuplicate);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var again = await _service.HandleAsync(Command(Key), CancellationToken.None);

        Assert.False(again.IsDuplicate);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task HandleAsync_DuplicateWhileTheFirstIsStillRunning_GetsTheNeutralAnswerAndChangesNothing()
    {
        var release = new TaskCompletionSource<CommandReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _inner.Next = () => release.Task;

        var first = _service.HandleAsync(Command(Key), CancellationToken.None);
        var duplicate = await _service.HandleAsync(Command(Key), CancellationToken.None);
        release.SetResult(new CommandReply("R-7Q2K started", ReplyVisibility.InChannel));
        await first;

        Assert.Equal(1, _inner.Calls);
        Assert.True(duplicate.IsDuplicate);
        Assert.Equal(DedupingCommandService.AlreadyReceived, duplicate.Text);
        Assert.Equal(ReplyVisibility.Ephemeral, duplicate.Visibility);
    }

    [Fact]
    public async Task HandleAsync_PipelineThrows_KeyForgottenSoTheRetryIsHandled()
    {
        _inner.Next = () => throw new InvalidOperationException("storage down");

        await Assert.ThrowsAsync<InvalidOperationException>(() => _service.HandleAsync(Command(Key), CancellationToken.None));
        _inner.Next = null;
        var retry = await _service.HandleAsync(Command(Key), CancellationToken.None);

        Assert.False(retry.IsDuplicate);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task HandleActionAsync_SameKeyTwice_HandledOnce()
    {
        var action = new ChatAction(RunId.Parse("R-7Q2K"), GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel) { DeliveryKey = "slack:T1:act:U2:1.2:approve:R-7Q2K" };

        await _service.HandleActionAsync(action, CancellationToken.None);
        var second = await _service.HandleActionAsync(action, CancellationToken.None);

        Assert.Equal(1, _inner.Calls);
        Assert.True(second.IsDuplicate);
    }

    [Fact]
    public void Constructor_WindowShorterThanTenMinutes_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new DedupingCommandService(_inner, _log, _clock, NullLogger<DedupingCommandService>.Instance, TimeSpan.FromMinutes(9)));
    }

    [Fact]
    public async Task HandleActionAsync_DoubleClickOnApprove_OneApprovalAndTheRunExecutesOnce()
    {
        await using var h = await EngineHarness.StartAsync(new GatePolicy { RequiredApprovals = 2 });
        var service = new DedupingCommandService(h.Commands, new InMemoryDeliveryLog(h.Clock), h.Clock, NullLogger<DedupingCommandService>.Instance);
        var run = await h.StartUpgradeAsync("upgrade orders-enricher --jar orders-enricher-2.4.0.jar");
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        var click = new ChatAction(run.Id, GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel) { DeliveryKey = $"slack:T1:act:U2:1.2:approve:{run.Id}" };

        var first = await service.HandleActionAsync(click, CancellationToken.None);
        var second = await service.HandleActionAsync(click, CancellationToken.None);

        Assert.True(first.Accepted, first.Text);
        Assert.True(second.IsDuplicate);
        var stored = await h.GetAsync(run.Id);
        Assert.Single(stored.Approvals);
        Assert.Equal(RunState.AwaitingApproval, stored.State);
        Assert.Single(await h.Timeline.ListAsync(run.Id, CancellationToken.None), e => e.Text.StartsWith("approved by", StringComparison.Ordinal));
    }

    private static ChatCommand Command(string? key) => new("status", EngineHarness.Ana, EngineHarness.Channel) { DeliveryKey = key };

    private sealed class CountingService : ICommandService
    {
        private int _calls;

        public int Calls => _calls;

        public Func<Task<CommandReply>>? Next { get; set; }

        public Task<CommandReply> HandleAsync(ChatCommand command, CancellationToken cancellationToken) => Handle();

        public Task<CommandReply> HandleActionAsync(ChatAction action, CancellationToken cancellationToken) => Handle();

        private Task<CommandReply> Handle()
        {
            var n = Interlocked.Increment(ref _calls);
            return Next is { } next ? next() : Task.FromResult(new CommandReply($"reply {n}", ReplyVisibility.InChannel, RunId.Parse("R-7Q2K")));
        }
    }
}
