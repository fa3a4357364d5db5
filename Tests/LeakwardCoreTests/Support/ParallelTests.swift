#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import LeakwardSupport

@Suite struct ParallelTests {
    /// Every piece runs once, each worker sees its pieces in increasing order, and what the
    /// workers hold at the end comes back (one output per worker that ran).
    @Test func everyPieceRunsOnceAndEachWorkerSeesItsPiecesInOrder() {
        let finishedCount = Atomic<Int>(0)
        let outputs = Parallel.run(pieces: 200, workers: 3, start: { [Int]() }, piece: { seen, index in seen.append(index) },
                                   finish: { $0 }, finished: { _ in finishedCount.wrappingAdd(1, ordering: .relaxed) })
        #expect(outputs.count >= 1 && outputs.count <= 3)
        #expect(outputs.flatMap { $0 }.sorted() == Array(0..<200))
        for seen in outputs { #expect(seen == seen.sorted()) }
        #expect(finishedCount.load(ordering: .relaxed) == 200)
    }

    @Test func oneWorkerRunsThePiecesInOrderOnTheCallingThread() {
        let outputs = Parallel.run(pieces: 5, workers: 1, start: { [Int]() }, piece: { $0.append($1 * 10) }, finish: { $0 })
        #expect(outputs == [[0, 10, 20, 30, 40]])
        // More workers than pieces: no idle worker hands back an empty output.
        let few = Parallel.run(pieces: 2, workers: 8, start: { [Int]() }, piece: { $0.append($1) }, finish: { $0 })
        #expect(few.count <= 2 && few.flatMap { $0 }.sorted() == [0, 1])
        #expect(Parallel.run(pieces: 0, workers: 4, start: { 0 }, piece: { $0 += $1 }, finish: { $0 }) == [0])
    }

    /// `beside`: the main step on the calling thread, the side step on another at the same time
    /// (each waits, up to 10 s, until the other has started: run one after the other, one of
    /// them would time out); with one worker, the side step first, then the main one, both here.
    @Test func besideRunsTheMainStepHereAndTheSideStepOnAnotherThreadMeanwhile() {
        let caller = pthread_self()
        let sideStarted = Atomic<Bool>(false), mainStarted = Atomic<Bool>(false)
        let both = Parallel.beside(workers: 2, { () -> (sawMain: Bool, onCaller: Bool) in
            sideStarted.store(true, ordering: .releasing)
            return (ParallelTests.waits(for: mainStarted), pthread_equal(pthread_self(), caller) != 0)
        }, while: { () -> (sawSide: Bool, onCaller: Bool) in
            mainStarted.store(true, ordering: .releasing)
            return (ParallelTests.waits(for: sideStarted), pthread_equal(pthread_self(), caller) != 0)
        })
        #expect(both.side.sawMain && both.main.sawSide)
        #expect(both.main.onCaller && !both.side.onCaller)
        let order = Mutex<[String]>([])
        let alone = Parallel.beside(workers: 1, { order.withLock { $0.append("side") }; return pthread_equal(pthread_self(), caller) != 0 },
                                    while: { order.withLock { $0.append("main") }; return 7 })
        #expect(alone.side && alone.main == 7 && order.withLock { $0 } == ["side", "main"])
    }

    /// Whether `flag` is set within 10 s.
    private static func waits(for flag: borrowing Atomic<Bool>) -> Bool {
        for _ in 0..<10_000 {
            if flag.load(ordering: .acquiring) { return true }
            usleep(1_000)
        }
        return false
    }

    @Test func shrinkingSegmentsCoverTheItemsAndEndShort() {
        for (count, workers, minimum) in [(118_770, 2, 256), (10_000, 4, 256), (1_000, 2, 256), (100, 8, 256), (5_000, 1, 256), (0, 4, 256)] {
            let pieces = Parallel.shrinkingSegments(of: count, workers: workers, minimumLength: minimum)
            #expect(pieces.first?.lowerBound == 0 && pieces.last?.upperBound == count, "\(count) \(workers)")
            #expect(zip(pieces, pieces.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            if pieces.count > 1 { #expect(pieces.allSatisfy { $0.count >= minimum }) }
            // Never longer than the one before it (but for the last, which takes a short rest).
            #expect(zip(pieces, pieces.dropFirst()).dropLast().allSatisfy { $0.count >= $1.count })
            if workers == 1 { #expect(pieces.count == 1) }
        }
        // The last pieces are short: at most twice the minimum on a Rails-sized stage.
        let rails = Parallel.shrinkingSegments(of: 118_770, workers: 2, minimumLength: 256)
        #expect(rails.last!.count < 512 && rails.first!.count > 118_770 / 5 && rails.count < 32)
    }

    @Test func segmentsCoverTheItemsInContiguousPiecesNoShorterThanAsked() {
        for (count, workers, minimum) in [(10_000, 4, 256), (1_000, 2, 256), (100, 8, 256), (5_000, 1, 256), (0, 4, 256)] {
            let pieces = Parallel.segments(of: count, workers: workers, minimumLength: minimum)
            #expect(pieces.first?.lowerBound == 0 && pieces.last?.upperBound == count, "\(count) \(workers)")
            #expect(zip(pieces, pieces.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            if pieces.count > 1 { #expect(pieces.allSatisfy { $0.count >= minimum }) }
            #expect(pieces.count <= max(1, workers * 8))
            if workers == 1 { #expect(pieces.count == 1) }
        }
    }
}

@Suite struct CRC32Tests {
    @Test func knownValuesAndChaining() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        let text = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(CRC32.checksum(text) == 0x414F_A339)
        // A slice and a running checksum give the same answer as the whole array.
        #expect(CRC32.checksum(text[...]) == 0x414F_A339)
        #expect(CRC32.checksum(text[10...], seed: CRC32.checksum(text[..<10])) == 0x414F_A339)
        #expect(CRC32.checksum("123456789".utf8) == 0xCBF4_3926)
    }
}
