import Foundation
import Testing

@testable import KioskCore

@Suite("Evaluations (好差评): five levels, one per finished case")
struct EvaluationTests {
    func evaluation(for t: Ticket, score: Evaluation.Score = .verySatisfied) -> Evaluation {
        Evaluation(
            ticketId: t.id, day: t.day, number: t.number, category: t.category, window: t.window,
            staff: t.staff, score: score, caseNumber: nil, comment: nil, submittedAt: t0)
    }

    @Test func aFinishedCaseIsRateable() throws {
        try Evaluation.checkRateable(ticket(in: .done), existing: nil)
    }

    @Test(arguments: [Ticket.State.waiting, .called, .serving, .noShow, .cancelled])
    func anUnfinishedCaseIsNotRateable(state: Ticket.State) {
        let error = expectRefusal(.invalidState) { try Evaluation.checkRateable(ticket(in: state), existing: nil) }
        #expect(error?.details["state"] == state.rawValue)
    }

    @Test func aSecondRatingOfTheSameCaseIsAConflict() {
        let done = ticket(in: .done)
        expectRefusal(.conflict) { try Evaluation.checkRateable(done, existing: evaluation(for: done)) }
    }

    @Test func scoresRunFromOneToFive() {
        #expect(Evaluation.Score.allCases.map(\.rawValue) == [1, 2, 3, 4, 5])
        #expect(Evaluation.Score(rawValue: 0) == nil)
        #expect(Evaluation.Score(rawValue: 6) == nil)
    }

    @Test func labelsAreTheFiveOfficialLevels() {
        #expect(Evaluation.Score.verySatisfied.label == "非常满意")
        #expect(Evaluation.Score.satisfied.label == "满意")
        #expect(Evaluation.Score.fair.label == "基本满意")
        #expect(Evaluation.Score.dissatisfied.label == "不满意")
        #expect(Evaluation.Score.veryDissatisfied.label == "非常不满意")
        #expect(Evaluation.Score(rawValue: 5)?.label == "非常满意")
        #expect(Evaluation.Score(rawValue: 1)?.label == "非常不满意")
    }

    @Test func scoresOfTwoOrLessAreBadReviews() {
        #expect(Evaluation.Score.veryDissatisfied.isBad)
        #expect(Evaluation.Score.dissatisfied.isBad)
        #expect(!Evaluation.Score.fair.isBad)
        #expect(!Evaluation.Score.satisfied.isBad)
        #expect(!Evaluation.Score.verySatisfied.isBad)
    }
}
