namespace Gateway.Core.Routing.Internal;

/// <summary>
/// A route's deployments and the order a request tries them in: those not cooling down, fewest
/// outstanding requests first; ties go round robin, starting one further along with every request.
/// </summary>
internal sealed class RouteDeployments(IReadOnlyList<DeploymentSlot> slots)
{
    private int _turn = -1;

    public IReadOnlyList<DeploymentSlot> Slots { get; } = slots;

    public IReadOnlyList<DeploymentSlot> Order(DateTimeOffset now)
    {
        if (Slots.Count == 1)
        {
            return Slots[0].IsCoolingDown(now) ? [] : Slots;
        }

        var start = (int)((uint)Interlocked.Increment(ref _turn) % (uint)Slots.Count);
        var candidates = new List<DeploymentSlot>(Slots.Count);
        for (var i = 0; i < Slots.Count; i++)
        {
            var slot = Slots[(start + i) % Slots.Count];
            if (!slot.IsCoolingDown(now))
            {
                candidates.Add(slot);
            }
        }

        // Stable: equal counts keep their round-robin order.
        return candidates.OrderBy(slot => slot.Outstanding).ToArray();
    }

    public DeploymentStatus[] Status(DateTimeOffset now) => Slots.Select(slot => slot.Status(now)).ToArray();
}
