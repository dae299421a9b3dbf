using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>Run leases against the in-memory store (same ETag rules as the table store) with a manual clock.</summary>
public class RunLeasesTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    private readonly ManualTimeProvider _clock = new();
    private readonly InMemoryRunStore _runs = new();

    private RunLeases Engine(string owner, TimeSpan? renewal = null) =>
        new(_runs, _clock, new RunLeaseOptions { LeaseOwner = owner, LeaseDuration = Duration, LeaseRenewal = renewal });

    private async Task<Run> NewRunAsync(RunState state = RunState.Executing, RunLease? lease = null)
    {
        var run = new Run
        {
            Id = RunId.New(),
            RecipeId = "upgrade",
            Cluster = "demo",
            JobName = "orders-enricher",
            Inputs = [],
            Requester = new Actor("slack", "T1", "U1", "ana"),
            Origin = new ChannelRef("slack", "T1", "C1"),
            CreatedAt = _clock.GetUtcNow(),
            State = state,
            Lease = lease,
        };
        await _runs.CreateAsync(run, CancellationToken.None);
        return run;
    }

    private async Task<Versioned<Run>> StoredAsync(RunId id) => (await _runs.GetAsync(id, CancellationToken.None))!;

    [Fact]
    public async Task ClaimAsync_FreeRun_PersistsOurLeaseForTheDuration()
    {
        var run = await NewRunAsync();
        var a = Engine("host-a");

        var claim = await a.ClaimAsync(run.Id, CancellationToken.None);

        Assert.Equal(LeaseOutcome.Held, claim.Outcome);
        var expected = new RunLease("host-a", _clock.GetUtcNow() + Duration);
        Assert.Equal(expected, claim.Lease);
        Assert.Equal(expected, (await StoredAsync(run.Id)).Value.Lease);
    }

    [Fact]
    public async Task ClaimAsync_AnotherEnginesLiveLease_NamesTheHolderAndWritesNothing()
    {
        var run = await NewRunAsync();
        await Engine("host-a").ClaimAsync(run.Id, CancellationToken.None);
        var before = await StoredAsync(run.Id);
        _clock.Advance(Duration - TimeSpan.FromSeconds(1));

        var claim = await Engine("host-b").ClaimAsync(run.Id, CancellationToken.None);

        Assert.Equal(LeaseOutcome.HeldElsewhere, claim.Outcome);
        Assert.Equal("host-a", claim.Lease!.Owner);
        Assert.Equal(before.ETag, (await StoredAsync(run.Id)).ETag);
    }

    [Fact]
    public async Task ClaimAsync_AnotherEnginesLeaseExpired_TakesItOver()
    {
        var run = await NewRunAsync();
        await Engine("host-a").ClaimAsync(run.Id, CancellationToken.None);
        _clock.Advance(Duration);

        var claim = await Engine("host-b").ClaimAsync(run.Id, CancellationToken.None);

        Assert.Equal(LeaseOutcome.Held, claim.Outcome);
        Assert.Equal(new RunLease("host-b", _clock.GetUtcNow() + Duration), (await StoredAsync(run.Id)).Value.Lease);
        Assert.Equal(LeaseOutcome.HeldElsewhere, (await Engine("host-a").ClaimAsync(run.Id, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task ClaimAsync_OurLeaseWithMoreThanTheRenewalLeft_KeepsItWithoutAWrite()
    {
        var run = await NewRunAsync();
        var a = Engine("host-a");
        var first = await a.ClaimAsync(run.Id, CancellationToken.None);
        var etag = (await StoredAsync(run.Id)).ETag;
        _clock.Advance(TimeSpan.FromSeconds(15)); // exactly half left: the default renewal is half the duration

        var again = await a.ClaimAsync(run.Id, CancellationToken.None);

        Assert.Equal(LeaseOutcome.Held, again.Outcome);
        Assert.Equal(first.Lease, again.Lease);
        Assert.Equal(etag, (await StoredAsync(run.Id)).ETag);
    }

    [Fact]
    public async Task ClaimAsync_OurLeaseRunningOut_RenewsItForAFullDuration()
    {
        var run = await NewRunAsync();
        var a = Engine("host-a", renewal: TimeSpan.FromSeconds(10));
        await a.ClaimAsync(run.Id, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(21));

        var renewed = await a.ClaimAsync(run.Id, CancellationToken.None);

        Assert.Equal(LeaseOutcome.Held, renewed.Outcome);
        Assert.Equal(_clock.GetUtcNow() + Duration, renewed.Lease!.ExpiresAt);
        Assert.Equal(renewed.Lease, (await StoredAsync(run.Id)).Value.Lease);
    }

    [Fact]
    public async Task ClaimAsync_LosesTheRaceToAnotherEngine_ReportsTheWinner()
    {
        var run = await NewRunAsync();
        var racing = new RacingRunStore(_runs);
        var a = new RunLeases(racing, _clock, new RunLeaseOptions { LeaseOwner = "host-a", LeaseDuration = Duration });
        var b = Engine("host-b");
        // Host B claims between host A's read and host A's conditional write.
        racing.BeforeNextReplace = () => b.ClaimAsync(run.Id, CancellationToken.None);

        var claim = await a.ClaimAsync(run.Id, CancellationToken.None);

        Assert.Equal(LeaseOutcome.HeldElsewhere, claim.Outcome);
        Assert.Equal("host-b", claim.Lease!.Owner);
        Assert.Equal("host-b", (await StoredAsync(run.Id)).Value.Lease!.Owner);
        Assert.Equal(1, racing.Conflicts);
    }

    [Fact]
    public async Task ClaimAsync_EndedRunWithOurLease_DropsTheLease()
    {
        var run = await NewRunAsync(RunState.Succeeded, new RunLease("host-a", _clock.GetUtcNow() + Duration));

        var claim = await Engine("host-a").ClaimAsync(run.Id, CancellationToken.None);

        Assert.Equal(LeaseOutcome.Ended, claim.Outcome);
        Assert.Null((await StoredAsync(run.Id)).Value.Lease);
    }

    [Fact]
    public async Task ClaimAsync_UnknownRun_ReportsEnded()
    {
        var claim = await Engine("host-a").ClaimAsync(RunId.New(), CancellationToken.None);

        Assert.Equal(new LeaseClaim(LeaseOutcome.Ended, null), claim);
    }

    [Fact]
    public async Task ReleaseAsync_AnotherEnginesLease_LeavesItAlone()
    {
        var run = await NewRunAsync();
        await Engine("host-a").ClaimAsync(run.Id, CancellationToken.None);

        Assert.False(await Engine("host-b").ReleaseAsync(run.Id, CancellationToken.None));
        Assert.Equal("host-a", (await StoredAsync(run.Id)).Value.Lease!.Owner);

        Assert.True(await Engine("host-a").ReleaseAsync(run.Id, CancellationToken.None));
        Assert.Null((await StoredAsync(run.Id)).Value.Lease);
        Assert.Equal(LeaseOutcome.Held, (await Engine("host-b").ClaimAsync(run.Id, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task RetryAtUnlessHeld_ByLease_SaysWhenTheRunMayBeTicked()
    {
        var now = _clock.GetUtcNow();
        var a = Engine("host-a");
        var run = await NewRunAsync();

        Assert.Equal(now, a.RetryAtUnlessHeld(run, now));
        run.Lease = new RunLease("host-a", now + Duration);
        Assert.Null(a.RetryAtUnlessHeld(run, now));
        Assert.Equal(now + Duration, a.RetryAtUnlessHeld(run, now + Duration));
        run.Lease = new RunLease("host-b", now + Duration);
        Assert.Equal(now + Duration, a.RetryAtUnlessHeld(run, now));
    }

    [Theory]
    [InlineData("00:00:00", null, "Engine:LeaseDuration must be positive")]
    [InlineData("00:00:30", "00:00:30", "Engine:LeaseRenewal must be positive and shorter")]
    [InlineData("00:00:30", "-00:00:01", "Engine:LeaseRenewal must be positive and shorter")]
    public void Constructor_UnusableOptions_SaysWhichSetting(string duration, string? renewal, string expected)
    {
        var options = new RunLeaseOptions { LeaseDuration = TimeSpan.Parse(duration), LeaseRenewal = renewal is null ? null : TimeSpan.Parse(renewal) };

        var e = Assert.Throws<ArgumentException>(() => new RunLeases(_runs, _clock, options));

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoOwnerConfigured_UsesHostProcessAndARandomSuffix()
    {
        var a = new RunLeases(_runs, _clock, new RunLeaseOptions());
        var b = new RunLeases(_runs, _clock, new RunLeaseOptions { LeaseOwner = " " });

        Assert.StartsWith($"{Environment.MachineName}/{Environment.ProcessId}/", a.Owner, StringComparison.Ordinal);
        Assert.NotEqual(a.Owner, b.Owner);
        Assert.Equal(TimeSpan.FromMinutes(3), a.Duration);
        Assert.Equal(TimeSpan.FromSeconds(90), a.Renewal);
    }

    /// <summary>A run store that runs a hook just before the next conditional replace, to stage a lost race.</summary>
    private sealed class RacingRunStore(IRunStore inner) : IRunStore
    {
        public Func<Task>? BeforeNextReplace { get; set; }

        public int Conflicts { get; private set; }

        public Task<Versioned<Run>?> GetAsync(RunId id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task<string> CreateAsync(Run run, CancellationToken cancellationToken) => inner.CreateAsync(run, cancellationToken);

        public async Task<string> ReplaceAsync(Run run, string etag, CancellationToken cancellationToken)
        {
            if (BeforeNextReplace is { } hook)
            {
                BeforeNextReplace = null;
                await hook();
            }
            try
            {
                return await inner.ReplaceAsync(run, etag, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                Conflicts++;
                throw;
            }
        }

        public Task<IReadOnlyList<Run>> ListActiveAsync(CancellationToken cancellationToken) => inner.ListActiveAsync(cancellationToken);

        public Task<IReadOnlyList<Run>> ListRecentAsync(int max, CancellationToken cancellationToken) => inner.ListRecentAsync(max, cancellationToken);
    }
}
