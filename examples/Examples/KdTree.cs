namespace Examples;

/// <summary>A point in the plane.</summary>
public readonly record struct Point(double X, double Y);

/// <summary>A k-d tree node: the median point of its subtree, split alternately by x and y.</summary>
public sealed class KdNode(Point point, KdNode? left, KdNode? right)
{
    public Point Point { get; } = point;
    public KdNode? Left { get; } = left;
    public KdNode? Right { get; } = right;

    /// <summary>The naive build caches its subtree's points here "for later queries"; the fixed build leaves it null.</summary>
    public Point[]? Subtree { get; init; }

    /// <summary>Same shape and the same point in every node.</summary>
    public static bool SameTree(KdNode? a, KdNode? b) =>
        a is null || b is null ? a is null && b is null : a.Point == b.Point && SameTree(a.Left, b.Left) && SameTree(a.Right, b.Right);
}

/// <summary>Orders points by one axis (static instances: sorting allocates no comparer).</summary>
internal sealed class AxisComparer(bool byX) : IComparer<Point>
{
    public static readonly AxisComparer X = new(true), Y = new(false);
    public static AxisComparer For(int depth) => depth % 2 == 0 ? X : Y;
    public int Compare(Point a, Point b) => byX ? a.X.CompareTo(b.X) : a.Y.CompareTo(b.Y);
}

/// <summary>
/// The naive build: every call copies its points into a new sorted array, splits that into two more new arrays for its
/// children, and keeps its sorted copy in the node. Every level of the tree holds a full copy of the input, so the tree
/// keeps n·(log₂n + 1) points alive: O(n log n) memory for an O(n) structure.
/// </summary>
public static class NaiveKdTree
{
    public static KdNode? Build(Point[] points, int depth = 0)
    {
        if (points.Length == 0)
            return null;
        var sorted = new Point[points.Length];
        Array.Copy(points, sorted, points.Length);
        Array.Sort(sorted, AxisComparer.For(depth));
        int mid = sorted.Length / 2;
        var left = new Point[mid];
        Array.Copy(sorted, 0, left, 0, mid);
        var right = new Point[sorted.Length - mid - 1];
        Array.Copy(sorted, mid + 1, right, 0, right.Length);
        return new KdNode(sorted[mid], Build(left, depth + 1), Build(right, depth + 1)) { Subtree = sorted };
    }
}

/// <summary>
/// The fixed build: one working copy of the points, sorted range by range in place; a node keeps only its point.
/// O(n) memory: the copy and the nodes.
/// </summary>
public static class FixedKdTree
{
    public static KdNode? Build(Point[] points)
    {
        var work = new Point[points.Length];
        Array.Copy(points, work, points.Length);
        return Build(work, 0, work.Length, 0);
    }

    private static KdNode? Build(Point[] work, int start, int end, int depth)
    {
        if (start >= end)
            return null;
        Array.Sort(work, start, end - start, AxisComparer.For(depth));
        int mid = start + (end - start) / 2;
        return new KdNode(work[mid], Build(work, start, mid, depth + 1), Build(work, mid + 1, end, depth + 1));
    }
}
